from enum import StrEnum


class PaymentTag(StrEnum):
    SCHEDULED = "money:payment:scheduled"
    POSTED = "money:payment:posted"
    CANCELLED = "money:payment:cancelled"

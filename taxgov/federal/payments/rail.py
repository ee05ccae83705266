"""The bank rail behind one interface, chosen by TAXGOV_FEDERAL_PAYMENT_RAIL: send a debit,
and hear which debits the banks sent back.

``demo`` (the default, and the only one here) plays the banks: every debit settles, except
from the demo accounts ``990000NN``, which come back with NACHA return code ``RNN`` (for
example 99000001: R01, insufficient funds). A production deployment adds an adapter for its
financial agent with the same two methods.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from taxgov.federal.payments.models import Payment, ReturnReason

DEMO_RETURN_PREFIX = "990000"


class PaymentRail(Protocol):
    def send_debit(self, payment: Payment) -> None:
        """Originate the debit; sending the same payment twice debits once (its confirmation
        number is the trace)."""

    def returned(self, payments: list[Payment]) -> dict[int, ReturnReason]:
        """Of these processed payments, the ones a bank sent back, by payment id."""


class DemoBanks:
    def send_debit(self, payment: Payment) -> None:
        return None

    def returned(self, payments: list[Payment]) -> dict[int, ReturnReason]:
        codes = {choice.value for choice in ReturnReason}
        found: dict[int, ReturnReason] = {}
        for payment in payments:
            number = payment.account_number
            code = f"R{number[-2:]}"
            if len(number) == 8 and number.startswith(DEMO_RETURN_PREFIX) and code in codes:
                found[payment.pk] = ReturnReason(code)
        return found


def payment_rail() -> PaymentRail:
    if settings.TAXGOV_FEDERAL_PAYMENT_RAIL == "demo":
        return DemoBanks()
    raise ImproperlyConfigured(f"Unknown TAXGOV_FEDERAL_PAYMENT_RAIL {settings.TAXGOV_FEDERAL_PAYMENT_RAIL!r}.")

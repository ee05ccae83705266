from decimal import Decimal

from django import template
from django.utils import formats

from taxgov.ledger.agencies import account_name as agency_account_name
from taxgov.ledger.engine import cents

register = template.Library()


@register.filter
def account_name(account_type: str) -> str:
    """``{{ account.account_type|account_name }}``: this agency's name for the account type."""
    return agency_account_name(account_type)


@register.filter
def money(amount: Decimal | None) -> str:
    """``{{ amount|money }}``: dollars and cents with digit grouping in the active language
    (``$1,234.56``; a credit ``-$5.00``); nothing for None."""
    if amount is None:
        return ""
    value = cents(Decimal(amount))
    shown = formats.number_format(abs(value), 2, force_grouping=True)
    return f"-${shown}" if value < 0 else f"${shown}"

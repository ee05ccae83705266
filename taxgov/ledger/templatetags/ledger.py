from django import template

from taxgov.ledger.agencies import account_name as agency_account_name

register = template.Library()


@register.filter
def account_name(account_type: str) -> str:
    """``{{ account.account_type|account_name }}``: this agency's name for the account type."""
    return agency_account_name(account_type)

from django import template

register = template.Library()


@register.filter
def masked_tin(tin: str) -> str:
    """``{{ ssn|masked_tin }}``: ``XXX-XX-1234``, only the last four digits, as notices show it."""
    digits = "".join(ch for ch in str(tin) if ch.isdigit())
    return f"XXX-XX-{digits[-4:]}" if len(digits) == 9 else ""

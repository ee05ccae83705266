"""What each kind of information return is called and what its boxes hold, so a W-2 or a
1099 reads the same on the page and on the wage and income transcript."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from taxgov.ledger.models import InformationReturn, InformationReturnKind
from taxgov.ledger.templatetags.ledger import money

K = InformationReturnKind
WITHHELD = _("Federal income tax withheld")


@dataclass(frozen=True)
class DocumentKind:
    title: Promise  # the form's name
    payer_role: Promise  # who files it: employer, payer, lender...
    main_box: str  # the box the ledger's ``income`` holds
    withholding_box: str  # the box the ledger's ``withholding`` holds
    boxes: dict[str, Promise]


KINDS: dict[str, DocumentKind] = {
    K.W2: DocumentKind(
        _("Wage and Tax Statement"),
        _("Employer"),
        "1",
        "2",
        {
            "1": _("Wages, tips, other compensation"),
            "2": WITHHELD,
            "3": _("Social security wages"),
            "4": _("Social security tax withheld"),
            "5": _("Medicare wages and tips"),
            "6": _("Medicare tax withheld"),
            "15": _("State"),
            "16": _("State wages, tips, etc."),
            "17": _("State income tax"),
        },
    ),
    K.NEC: DocumentKind(
        _("Nonemployee Compensation"),
        _("Payer"),
        "1",
        "4",
        {"1": _("Nonemployee compensation"), "4": WITHHELD},
    ),
    K.MISC: DocumentKind(
        _("Miscellaneous Information"),
        _("Payer"),
        "3",
        "4",
        {"1": _("Rents"), "2": _("Royalties"), "3": _("Other income"), "4": WITHHELD},
    ),
    K.INT: DocumentKind(
        _("Interest Income"),
        _("Payer"),
        "1",
        "4",
        {"1": _("Interest income"), "4": WITHHELD},
    ),
    K.DIV: DocumentKind(
        _("Dividends and Distributions"),
        _("Payer"),
        "1a",
        "4",
        {"1a": _("Total ordinary dividends"), "1b": _("Qualified dividends"), "4": WITHHELD},
    ),
    K.R: DocumentKind(
        _("Distributions From Pensions, Annuities, Retirement Plans, IRAs and Insurance Contracts"),
        _("Payer"),
        "1",
        "4",
        {
            "1": _("Gross distribution"),
            "2a": _("Taxable amount"),
            "4": WITHHELD,
            "14": _("State tax withheld"),
            "15": _("State"),
        },
    ),
    K.G: DocumentKind(
        _("Certain Government Payments"),
        _("Payer"),
        "1",
        "4",
        {"1": _("Unemployment compensation"), "4": WITHHELD},
    ),
    K.K: DocumentKind(
        _("Payment Card and Third Party Network Transactions"),
        _("Payer"),
        "1a",
        "4",
        {"1a": _("Gross amount of payment transactions"), "4": WITHHELD},
    ),
    K.SSA: DocumentKind(
        _("Social Security Benefit Statement"),
        _("Payer"),
        "5",
        "6",
        {
            "3": _("Benefits paid"),
            "4": _("Benefits repaid"),
            "5": _("Net benefits"),
            "6": _("Voluntary federal income tax withheld"),
        },
    ),
    K.MORTGAGE: DocumentKind(
        _("Mortgage Interest Statement"),
        _("Lender"),
        "1",
        "",
        {"1": _("Mortgage interest received"), "2": _("Outstanding mortgage principal")},
    ),
    K.IRA: DocumentKind(
        _("IRA Contribution Information"),
        _("Trustee or issuer"),
        "1",
        "",
        {"1": _("IRA contributions"), "5": _("Fair market value of account")},
    ),
}


@dataclass(frozen=True)
class Box:
    number: str
    label: str
    value: str  # an amount as money, or text (a state's code)


def _box_order(number: str) -> tuple[int, str]:
    found = re.match(r"(\d+)(.*)", number)
    return (int(found.group(1)), found.group(2)) if found else (10**6, number)


def _shown(value: str) -> str:
    try:
        return money(Decimal(value))
    except (InvalidOperation, ValueError):
        return value


def title(document: InformationReturn) -> str:
    return f"{document.kind} {KINDS[document.kind].title}"


def payer_role(document: InformationReturn) -> str:
    return str(KINDS[document.kind].payer_role)


def boxes(document: InformationReturn) -> list[Box]:
    """Every box the payer reported, in box order: the ledger's main amount and withholding
    fill their boxes when the document's box list leaves them out."""
    kind = KINDS[document.kind]
    values: dict[str, str] = {kind.main_box: str(document.income)}
    if kind.withholding_box and document.withholding:
        values[kind.withholding_box] = str(document.withholding)
    values.update({str(number): str(value) for number, value in document.boxes.items()})
    return [
        Box(number, str(kind.boxes.get(number, _("Box %(number)s") % {"number": number})), _shown(values[number]))
        for number in sorted(values, key=_box_order)
    ]

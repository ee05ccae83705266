"""Transaction codes as they appear on account transcripts (IRS Document 6209 meanings).

Both agencies use the same codes for the same meanings. A code's ``effect`` tells the payoff
engine what the entry does; its sign says whether the amount must be a debit (positive) or
a credit (negative).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Effect(StrEnum):
    TAX = "tax"  # tax assessed: original return or additional tax
    TAX_ABATEMENT = "tax_abatement"
    PENALTY = "penalty"
    PENALTY_ABATEMENT = "penalty_abatement"
    INTEREST = "interest"
    INTEREST_ABATEMENT = "interest_abatement"
    CREDIT = "credit"  # payments, withholding, refundable credits, credits transferred in
    CREDIT_REVERSAL = "credit_reversal"  # cancels the credit it reverses, as if never made
    REFUND = "refund"  # refunds and credits transferred out: they use up a credit balance
    NONE = "none"  # status and indicator codes: no money


class Sign(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"
    ZERO = "zero"
    DEBIT_OR_ZERO = "debit_or_zero"  # a zero return (TC 150) or a zero adjustment (TC 290)


class PenaltyKind(StrEnum):
    FAILURE_TO_FILE = "failure_to_file"
    FAILURE_TO_PAY = "failure_to_pay"
    ESTIMATED_TAX = "estimated_tax"
    DISHONORED_PAYMENT = "dishonored_payment"
    OTHER = "other"
    # Not a penalty: the engine keeps it with the penalties but never charges interest on it.
    USER_FEE = "user_fee"


@dataclass(frozen=True)
class TransactionCode:
    code: str
    meaning: str | Promise
    effect: Effect
    sign: Sign
    penalty_kind: PenaltyKind | None = None
    reverses: str | None = None  # the code this one reverses, for CREDIT_REVERSAL
    applies_first_to: str | None = None  # designated payments: "interest" or "penalty"


def _codes(*codes: TransactionCode) -> dict[str, TransactionCode]:
    return {code.code: code for code in codes}


FTF, FTP, EST, DIS = (
    PenaltyKind.FAILURE_TO_FILE,
    PenaltyKind.FAILURE_TO_PAY,
    PenaltyKind.ESTIMATED_TAX,
    PenaltyKind.DISHONORED_PAYMENT,
)
T = TransactionCode
E = Effect
S = Sign

CODES: dict[str, TransactionCode] = _codes(
    T("000", _("Established account"), E.NONE, S.ZERO),
    T("013", _("Name changed"), E.NONE, S.ZERO),
    T("014", _("Address changed"), E.NONE, S.ZERO),
    T("150", _("Tax return filed and tax assessed"), E.TAX, S.DEBIT_OR_ZERO),
    T("160", _("Penalty for filing tax return late (manual)"), E.PENALTY, S.DEBIT, FTF),
    T("161", _("Removed penalty for filing tax return late (manual)"), E.PENALTY_ABATEMENT, S.CREDIT, FTF),
    T("166", _("Penalty for filing tax return late"), E.PENALTY, S.DEBIT, FTF),
    T("167", _("Removed penalty for filing tax return late"), E.PENALTY_ABATEMENT, S.CREDIT, FTF),
    T("170", _("Penalty for not pre-paying tax (manual)"), E.PENALTY, S.DEBIT, EST),
    T("171", _("Removed penalty for not pre-paying tax (manual)"), E.PENALTY_ABATEMENT, S.CREDIT, EST),
    T("176", _("Penalty for not pre-paying tax"), E.PENALTY, S.DEBIT, EST),
    T("177", _("Removed penalty for not pre-paying tax"), E.PENALTY_ABATEMENT, S.CREDIT, EST),
    T("190", _("Interest charged (manual)"), E.INTEREST, S.DEBIT),
    T("196", _("Interest charged for late payment"), E.INTEREST, S.DEBIT),
    T("197", _("Abated interest charged for late payment"), E.INTEREST_ABATEMENT, S.CREDIT),
    T("240", _("Miscellaneous penalty"), E.PENALTY, S.DEBIT, PenaltyKind.OTHER),
    T("241", _("Removed miscellaneous penalty"), E.PENALTY_ABATEMENT, S.CREDIT, PenaltyKind.OTHER),
    T("270", _("Penalty for late payment of tax (manual)"), E.PENALTY, S.DEBIT, FTP),
    T("271", _("Removed penalty for late payment of tax (manual)"), E.PENALTY_ABATEMENT, S.CREDIT, FTP),
    T("276", _("Penalty for late payment of tax"), E.PENALTY, S.DEBIT, FTP),
    T("277", _("Removed penalty for late payment of tax"), E.PENALTY_ABATEMENT, S.CREDIT, FTP),
    T("280", _("Bad check penalty (manual)"), E.PENALTY, S.DEBIT, DIS),
    T("281", _("Removed bad check penalty (manual)"), E.PENALTY_ABATEMENT, S.CREDIT, DIS),
    T("286", _("Penalty for dishonored payment"), E.PENALTY, S.DEBIT, DIS),
    T("287", _("Removed penalty for dishonored payment"), E.PENALTY_ABATEMENT, S.CREDIT, DIS),
    T("290", _("Additional tax assessed"), E.TAX, S.DEBIT_OR_ZERO),
    T("291", _("Abatement of prior tax assessment"), E.TAX_ABATEMENT, S.CREDIT),
    T("300", _("Additional tax assessed by examination"), E.TAX, S.DEBIT),
    T("301", _("Abatement of tax by examination"), E.TAX_ABATEMENT, S.CREDIT),
    T("336", _("Interest charged on additional tax"), E.INTEREST, S.DEBIT),
    T("337", _("Abated interest charged on additional tax"), E.INTEREST_ABATEMENT, S.CREDIT),
    # Installment agreement user fees (Doc 6209: fees and collection costs; IRC 6159(f), 26 CFR
    # 300.1). A fee is no tax, penalty or addition to tax, so no interest accrues on it (IRC 6601);
    # the payoff counts it with the penalties. TC 361 abates it, as when a fee is reimbursed.
    T("360", _("Fees and collection costs"), E.PENALTY, S.DEBIT, PenaltyKind.USER_FEE),
    T("361", _("Removed fees and collection costs"), E.PENALTY_ABATEMENT, S.CREDIT, PenaltyKind.USER_FEE),
    T("420", _("Examination of tax return"), E.NONE, S.ZERO),
    T("421", _("Closed examination of tax return"), E.NONE, S.ZERO),
    T("424", _("Examination request"), E.NONE, S.ZERO),
    T("460", _("Extension of time to file"), E.NONE, S.ZERO),
    T("480", _("Offer in compromise pending"), E.NONE, S.ZERO),
    T("481", _("Offer in compromise rejected"), E.NONE, S.ZERO),
    T("482", _("Offer in compromise withdrawn"), E.NONE, S.ZERO),
    T("520", _("Bankruptcy or other legal action filed"), E.NONE, S.ZERO),
    T("521", _("Removed bankruptcy or other legal action"), E.NONE, S.ZERO),
    T("530", _("Balance due account currently not collectible"), E.NONE, S.ZERO),
    T("570", _("Additional account action pending"), E.NONE, S.ZERO),
    T("571", _("Resolved additional account action"), E.NONE, S.ZERO),
    T("572", _("Removed additional account action"), E.NONE, S.ZERO),
    T("582", _("Lien placed on assets"), E.NONE, S.ZERO),
    T("610", _("Payment with return"), E.CREDIT, S.CREDIT),
    T("611", _("Payment with return reversed"), E.CREDIT_REVERSAL, S.DEBIT, reverses="610"),
    T("640", _("Advance payment of tax owed"), E.CREDIT, S.CREDIT),
    T("641", _("Advance payment of tax owed reversed"), E.CREDIT_REVERSAL, S.DEBIT, reverses="640"),
    T("650", _("Federal tax deposit"), E.CREDIT, S.CREDIT),
    T("651", _("Federal tax deposit reversed"), E.CREDIT_REVERSAL, S.DEBIT, reverses="650"),
    T("660", _("Estimated tax payment"), E.CREDIT, S.CREDIT),
    T("661", _("Estimated tax payment reversed"), E.CREDIT_REVERSAL, S.DEBIT, reverses="660"),
    T("670", _("Payment"), E.CREDIT, S.CREDIT),
    T("671", _("Payment reversed"), E.CREDIT_REVERSAL, S.DEBIT, reverses="670"),
    T("680", _("Designated payment of interest"), E.CREDIT, S.CREDIT, applies_first_to="interest"),
    T("681", _("Designated payment of interest reversed"), E.CREDIT_REVERSAL, S.DEBIT, reverses="680"),
    T("690", _("Designated payment of penalty"), E.CREDIT, S.CREDIT, applies_first_to="penalty"),
    T("691", _("Designated payment of penalty reversed"), E.CREDIT_REVERSAL, S.DEBIT, reverses="690"),
    T("706", _("Overpayment credit transferred from another tax period"), E.CREDIT, S.CREDIT),
    T("710", _("Overpayment credit applied from prior tax period"), E.CREDIT, S.CREDIT),
    T("716", _("Overpayment credit transferred from prior tax period"), E.CREDIT, S.CREDIT),
    T("740", _("Undelivered refund check returned"), E.CREDIT, S.CREDIT),
    T("766", _("Credit to your account"), E.CREDIT, S.CREDIT),
    T("767", _("Reduced or removed credit to your account"), E.CREDIT_REVERSAL, S.DEBIT, reverses="766"),
    T("768", _("Earned income credit"), E.CREDIT, S.CREDIT),
    T("776", _("Interest credited to your account"), E.CREDIT, S.CREDIT),
    T("777", _("Reduced or removed interest credited to your account"), E.CREDIT_REVERSAL, S.DEBIT, reverses="776"),
    T("806", _("Credit for withheld taxes"), E.CREDIT, S.CREDIT),
    T("807", _("Reduced or removed credit for withheld taxes"), E.CREDIT_REVERSAL, S.DEBIT, reverses="806"),
    T("810", _("Refund freeze"), E.NONE, S.ZERO),
    T("811", _("Removed refund freeze"), E.NONE, S.ZERO),
    T("820", _("Credit transferred out"), E.REFUND, S.DEBIT),
    T("826", _("Overpayment transferred to another tax period"), E.REFUND, S.DEBIT),
    T("830", _("Overpayment credit applied to next year's estimated tax"), E.REFUND, S.DEBIT),
    T("836", _("Overpayment credit applied to next year's estimated tax"), E.REFUND, S.DEBIT),
    T("840", _("Manual refund issued"), E.REFUND, S.DEBIT),
    T("841", _("Cancelled refund check deposited"), E.CREDIT, S.CREDIT),
    T("846", _("Refund issued"), E.REFUND, S.DEBIT),
    T("898", _("Refund applied to non-tax debt"), E.REFUND, S.DEBIT),
    T("971", _("Miscellaneous transaction"), E.NONE, S.ZERO),
    T("972", _("Reversed miscellaneous transaction"), E.NONE, S.ZERO),
)

# Action codes that qualify TC 971 / 972.
ACTION_CODES: dict[str, str | Promise] = {
    "013": _("Amended tax return or claim received"),
    "043": _("Installment agreement pending"),
    "063": _("Installment agreement established"),
    "064": _("Installment agreement terminated"),
}
INSTALLMENT_AGREEMENT_PENDING = "043"
INSTALLMENT_AGREEMENT_ESTABLISHED = "063"
INSTALLMENT_AGREEMENT_ENDED = "064"


class UnknownCodeError(KeyError):
    pass


def lookup(code: str) -> TransactionCode:
    try:
        return CODES[code]
    except KeyError:
        raise UnknownCodeError(f"Unknown transaction code {code!r}.") from None

"""What each kind of notice says: what it means and what to do, in one declared table.

Adding a kind is this table plus data: its code in ``NoticeKind`` (the ledger), in
``notices.online`` of ``federal.toml`` and, if the notice gives a date to act by, in
``notices.respond_within_days``. The texts may use ``%(amount)s`` (the amount the notice is
about), ``%(year)s`` (its tax period) and ``%(respond_by)s`` (only for kinds with a date).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from taxgov.ledger.models import NoticeKind


class Amounts(StrEnum):
    """Which amounts a notice shows."""

    BALANCE = "balance"  # the period's balance on the notice date: tax, penalties, interest, total
    REFUND = "refund"  # the notice's own amount, a refund
    PROPOSED = "proposed"  # the notice's own amount, a change proposed and not yet assessed


@dataclass(frozen=True)
class Wording:
    meaning: tuple[Promise, ...]
    to_do: tuple[Promise, ...]
    amounts: Amounts = Amounts.BALANCE


PAY_OR_PLAN = _(
    "If you cannot pay it all, pay what you can and apply for a payment plan in your online account: "
    "interest and penalties keep growing on what is left until it is paid."
)
ALREADY_PAID = _("If you already paid the full amount, you do not need to do anything.")

WORDING: dict[str, Wording] = {
    NoticeKind.REFUND: Wording(
        meaning=(
            _(
                "We corrected one or more mistakes on your return for %(year)s. "
                "With the corrections, you are due a refund of %(amount)s."
            ),
        ),
        to_do=(
            _("If you agree with the changes, you do not need to do anything: we will send your refund."),
            _(
                "If you do not agree, contact us by %(respond_by)s. We will then reverse the changes, "
                "and we may review your return again."
            ),
        ),
        amounts=Amounts.REFUND,
    ),
    NoticeKind.BALANCE_DUE: Wording(
        meaning=(
            _(
                "You owe %(amount)s on your taxes for %(year)s: tax you did not pay in full with your return, "
                "with the penalties and interest on it as of the date of this notice."
            ),
        ),
        to_do=(
            _("Pay %(amount)s by %(respond_by)s. If you do, we charge no more interest on that amount."),
            PAY_OR_PLAN,
            _("If you think the amount is wrong, call us at the number below."),
        ),
    ),
    NoticeKind.REMINDER: Wording(
        meaning=(
            _(
                "This is a reminder: we have not received full payment of your taxes for %(year)s. "
                "You owed %(amount)s on the date of this notice."
            ),
        ),
        to_do=(
            _("Pay the amount due now. Your online account shows what you owe today."),
            PAY_OR_PLAN,
            ALREADY_PAID,
        ),
    ),
    NoticeKind.SECOND_REMINDER: Wording(
        meaning=(
            _(
                "This is our second reminder: you still owed %(amount)s on your taxes for %(year)s on the "
                "date of this notice. If you do not pay, we may file a notice of federal tax lien or take "
                "other steps to collect it."
            ),
        ),
        to_do=(
            _("Pay the amount due now. Your online account shows what you owe today."),
            PAY_OR_PLAN,
            ALREADY_PAID,
        ),
    ),
    NoticeKind.INTENT_TO_LEVY: Wording(
        meaning=(
            _(
                "You still owe %(amount)s on your taxes for %(year)s. We intend to levy (take) your state "
                "tax refund to pay it, and we may later levy other property, such as wages or bank accounts."
            ),
            _("Soon after this notice, the failure-to-pay penalty starts to grow faster."),
        ),
        to_do=(
            _("Pay %(amount)s by %(respond_by)s to stop the levy."),
            PAY_OR_PLAN,
            ALREADY_PAID,
        ),
    ),
    NoticeKind.FINAL_INTENT_TO_LEVY: Wording(
        meaning=(
            _(
                "This is your final notice before we levy your wages, bank accounts or other property to pay "
                "the %(amount)s you owe on your taxes for %(year)s."
            ),
            _("You have the right to a Collection Due Process hearing with an independent appeals office."),
        ),
        to_do=(
            _("Pay the amount due, or apply for a payment plan, now."),
            _(
                "To ask for a hearing, send us Form 12153 by %(respond_by)s. While a hearing you asked for "
                "by then is pending, we do not levy."
            ),
            ALREADY_PAID,
        ),
    ),
    NoticeKind.UNDERREPORTED: Wording(
        meaning=(
            _(
                "What employers, banks and others reported to us about you does not match your return for "
                "%(year)s. We propose changes that would mean you owe %(amount)s. This is a proposal, not a bill."
            ),
        ),
        to_do=(
            _(
                "Check the proposed changes and tell us by %(respond_by)s whether you agree. If you do not, "
                "send us what shows why."
            ),
            _("If we do not hear from you, we will send you a notice of deficiency with the changes."),
        ),
        amounts=Amounts.PROPOSED,
    ),
    NoticeKind.INSTALLMENT_AGREEMENT: Wording(
        meaning=(
            _(
                "This is a statement of your payment plan. On the date of this statement you owed %(amount)s "
                "on your taxes for %(year)s; interest and penalties continue until it is paid in full."
            ),
        ),
        to_do=(
            _("Make each monthly payment by its due date."),
            _("If you cannot make a payment, contact us before it is due, so that your plan does not end."),
        ),
    ),
    NoticeKind.INSTALLMENT_TERMINATION: Wording(
        meaning=(
            _(
                "You missed a payment on your payment plan, or another condition of the plan was not met, so we "
                "intend to end the plan. On the date of this notice you owed %(amount)s on your taxes for %(year)s."
            ),
            _("If the plan ends, we may levy your wages, bank accounts or other property to collect what you owe."),
        ),
        to_do=(
            _("To keep your plan, pay the payments you missed by %(respond_by)s."),
            _("If you cannot, contact us before that date: you may be able to change the plan."),
        ),
    ),
}

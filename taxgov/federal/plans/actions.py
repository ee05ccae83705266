"""Applying for, revising and running payment plans.

Each happens once. An application or a revision carries a key made when its form was shown,
so a double submit, a retry or a second tab gives the same plan; the taxpayer's row lock makes
applications one at a time, and the database allows one plan in effect per taxpayer. Every
ledger entry carries a key derived from the plan, and a direct debit the key of its plan and
month, so the plan job, run twice or stopped half-way, posts and debits nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.common.audit.actions import record_event
from taxgov.common.banking import BankAccount
from taxgov.federal.accounts.models import User
from taxgov.federal.payments.actions import PaymentError, do_make_payment
from taxgov.federal.payments.models import WAITING, PaymentReason
from taxgov.federal.payments.queries import Purpose
from taxgov.federal.plans import queries
from taxgov.federal.plans.models import Installment, PaymentPlan, PlanKind, PlanRevision, PlanStatus
from taxgov.federal.plans.tags import PlanTag
from taxgov.ledger import codes
from taxgov.ledger import queries as ledger
from taxgov.ledger.actions import do_issue_notice, do_post_transaction
from taxgov.ledger.engine import ZERO, add_months, cents
from taxgov.ledger.models import NoticeKind, Taxpayer, TaxPeriod, Transaction

FEE_CODE = "360"  # fees and collection costs (IRS Document 6209); ADR 0021
FEE_ABATEMENT_CODE = "361"  # fees and collection costs removed: a reimbursed fee


class PlanError(Exception):
    """The plan cannot be made or changed as asked; ``messages`` say why."""

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = list(messages)


@dataclass(frozen=True)
class Application:
    kind: str
    monthly_amount: Decimal | None = None  # long-term
    due_day: int | None = None  # long-term
    bank: BankAccount | None = None  # direct debit from this account


def do_apply_for_plan(
    *,
    user: User,
    taxpayer: Taxpayer,
    application: Application,
    idempotency_key: str,
    request: HttpRequest | None = None,
) -> PaymentPlan:
    """Decide at once: approve the plan (TC 971 action codes 043 then 063 on each year it covers,
    the setup fee as TC 360), or refuse it and change nothing. The same key returns the same plan."""
    today = timezone.localdate()
    existing = _by_key(idempotency_key)
    if existing is not None:
        return _same_plan(existing, taxpayer, application)
    try:
        with transaction.atomic():
            Taxpayer.objects.select_for_update().filter(pk=taxpayer.pk).first()  # one application at a time each
            existing = _by_key(idempotency_key)
            if existing is not None:
                return _same_plan(existing, taxpayer, application)
            found = queries.position(taxpayer, today)
            refusals = found.refusals_for(application.kind)
            if refusals:
                raise _RefusedError(refusals)
            _check_terms(found, application)
            plan = _approve(found, user, taxpayer, application, idempotency_key)
            record_event(
                PlanTag.ESTABLISHED,
                actor=f"user:{user.pk}",
                subject=f"payment_plan:{plan.pk}",
                request=request,
                extra={
                    "kind": plan.kind,
                    "periods": len(found.periods),
                    "monthly_amount": str(plan.monthly_amount or ""),
                    "due_day": plan.due_day,
                    "direct_debit": plan.direct_debit,
                    "setup_fee": str(plan.setup_fee),
                    "low_income": plan.low_income,
                },
            )
    except _RefusedError as refused:
        record_event(
            PlanTag.REFUSED,
            actor=f"user:{user.pk}",
            subject=f"taxpayer:{taxpayer.pk}",
            request=request,
            extra={"kind": application.kind, "reasons": [refusal.code for refusal in refused.refusals]},
        )
        raise PlanError(*(refusal.message for refusal in refused.refusals)) from None
    except IntegrityError:
        existing = _by_key(idempotency_key)
        if existing is None:
            raise
        return _same_plan(existing, taxpayer, application)
    return plan


class _RefusedError(Exception):
    def __init__(self, refusals: list[queries.Refusal]) -> None:
        super().__init__()
        self.refusals = refusals


def _check_terms(found: queries.Position, application: Application) -> None:
    """What the form checks, checked again here: a long-term plan's day and amount."""
    if application.kind == PlanKind.SHORT_TERM:
        return
    _check_monthly(found.terms, found.minimum, application.due_day, application.monthly_amount)


def _check_monthly(terms: queries.Terms, minimum: Decimal, due_day: int | None, amount: Decimal | None) -> None:
    """The due day within the terms, and the monthly amount in cents and at least the minimum."""
    if due_day is None or not terms.due_day_first <= due_day <= terms.due_day_last:
        raise PlanError(
            _("Choose a due day from the %(first)d through the %(last)d of the month.")
            % {"first": terms.due_day_first, "last": terms.due_day_last}
        )
    if amount is None or amount != amount.quantize(Decimal("0.01")) or amount < minimum:
        raise PlanError(_("The monthly payment must be at least $%(minimum)s.") % {"minimum": f"{minimum:,.0f}"})


def _approve(
    found: queries.Position, user: User, taxpayer: Taxpayer, application: Application, idempotency_key: str
) -> PaymentPlan:
    today = found.as_of
    long_term = application.kind == PlanKind.LONG_TERM
    bank = application.bank if long_term else None
    fee = queries.setup_fee(application.kind, bank is not None, found.is_low_income, today)
    plan = PaymentPlan.objects.create(
        taxpayer=taxpayer,
        kind=application.kind,
        owed_at_start=found.owed,
        pay_by=None if long_term else found.pay_by,
        monthly_amount=application.monthly_amount if long_term else None,
        due_day=application.due_day if long_term else None,
        first_due_on=found.first_due_on(application.due_day) if long_term and application.due_day else None,
        term_months=found.months_allowed if long_term else None,
        direct_debit=bank is not None,
        bank_account_kind=bank.kind if bank else "",
        routing_number=bank.routing_number if bank else "",
        account_number=bank.account_number if bank else "",
        account_number_last4=bank.last4 if bank else "",
        low_income=found.is_low_income,
        setup_fee=fee.amount,
        fee_reimbursable=fee.reimbursable,
        established_on=today,
        idempotency_key=idempotency_key,
        made_by=user,
    )
    plan.periods.set(found.periods)
    for action in (codes.INSTALLMENT_AGREEMENT_PENDING, codes.INSTALLMENT_AGREEMENT_ESTABLISHED):
        for period in found.periods:
            _post_action_code(plan, period, action, today)
    if fee.amount:
        plan.fee_posted = _post_fee(found.periods[0], fee.amount, today, f"federal-plan-fee:{plan.public_id}", plan)
        plan.save(update_fields=["fee_posted"])
    return plan


def _post_action_code(plan: PaymentPlan, period: TaxPeriod, action: str, day: dt.date) -> Transaction:
    return do_post_transaction(
        period,
        code="971",
        action_code=action,
        amount=ZERO,
        effective_date=day,
        idempotency_key=f"federal-plan:{plan.public_id}:{action}:{period.pk}",
        actor=f"payment_plan:{plan.pk}",
    )


def _post_fee(period: TaxPeriod, amount: Decimal, day: dt.date, key: str, plan: PaymentPlan) -> Transaction:
    return do_post_transaction(
        period, code=FEE_CODE, amount=amount, effective_date=day, idempotency_key=key, actor=f"payment_plan:{plan.pk}"
    )


def _by_key(idempotency_key: str) -> PaymentPlan | None:
    return PaymentPlan.objects.filter(idempotency_key=idempotency_key).first()


def _same_plan(existing: PaymentPlan, taxpayer: Taxpayer, application: Application) -> PaymentPlan:
    same = (
        existing.taxpayer_id,
        existing.kind,
        existing.monthly_amount,
        existing.due_day,
        existing.direct_debit,
    ) == (
        taxpayer.pk,
        application.kind,
        application.monthly_amount if application.kind == PlanKind.LONG_TERM else None,
        application.due_day if application.kind == PlanKind.LONG_TERM else None,
        application.kind == PlanKind.LONG_TERM and application.bank is not None,
    )
    if not same:
        raise PlanError(_("This form was already used for a different payment plan. Start again."))
    return existing


def do_revise_plan(
    plan: PaymentPlan,
    *,
    user: User,
    monthly_amount: Decimal,
    due_day: int,
    idempotency_key: str,
    request: HttpRequest | None = None,
) -> PlanRevision:
    """Change a long-term plan's monthly amount or due day, for the online revision fee (TC 360).
    The same key returns the same revision."""
    today = timezone.localdate()
    existing = PlanRevision.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_revision(existing, plan, monthly_amount, due_day)
    with transaction.atomic():
        Taxpayer.objects.select_for_update().filter(pk=plan.taxpayer_id).first()
        plan = PaymentPlan.objects.select_for_update().select_related("taxpayer").get(pk=plan.pk)
        existing = PlanRevision.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _same_revision(existing, plan, monthly_amount, due_day)
        refusals = queries.revision_refusals(plan)
        if refusals:
            raise PlanError(*(refusal.message for refusal in refusals))
        history = ledger.periods_with_history(plan.taxpayer)
        periods = queries.plan_periods(plan, history)
        _check_revision(plan, periods, monthly_amount, due_day, today)
        assert plan.monthly_amount is not None  # noqa: S101 (long-term, as the refusals checked)
        assert plan.due_day is not None  # noqa: S101
        low_income = queries.low_income(plan.taxpayer, history, today)
        fee = queries.revision_fee(low_income is not None and low_income.qualifies, today)
        revision = PlanRevision.objects.create(
            plan=plan,
            monthly_amount_before=plan.monthly_amount,
            monthly_amount_after=monthly_amount,
            due_day_before=plan.due_day,
            due_day_after=due_day,
            fee=fee.amount,
            fee_reimbursable=fee.reimbursable,
            revised_on=today,
            idempotency_key=idempotency_key,
            made_by=user,
        )
        if fee.amount:
            revision.fee_posted = _post_fee(
                periods[0], fee.amount, today, f"federal-plan-revision-fee:{revision.pk}", plan
            )
            revision.save(update_fields=["fee_posted"])
        plan.monthly_amount, plan.due_day = monthly_amount, due_day
        plan.save(update_fields=["monthly_amount", "due_day"])
        record_event(
            PlanTag.REVISED,
            actor=f"user:{user.pk}",
            subject=f"payment_plan:{plan.pk}",
            request=request,
            extra={
                "revision": revision.pk,
                "monthly_amount": str(monthly_amount),
                "due_day": due_day,
                "fee": str(fee.amount),
            },
        )
    return revision


def _check_revision(
    plan: PaymentPlan, periods: list[TaxPeriod], monthly_amount: Decimal, due_day: int, today: dt.date
) -> None:
    minimum = queries.revision_minimum(plan, periods, today)
    _check_monthly(queries.terms(today), minimum, due_day, monthly_amount)
    if (monthly_amount, due_day) == (plan.monthly_amount, plan.due_day):
        raise PlanError(_("Change the monthly payment, the due day or both."))


def _same_revision(existing: PlanRevision, plan: PaymentPlan, monthly_amount: Decimal, due_day: int) -> PlanRevision:
    if (existing.plan_id, existing.monthly_amount_after, existing.due_day_after) != (plan.pk, monthly_amount, due_day):
        raise PlanError(_("This form was already used for a different change. Start again."))
    return existing


# --- the plan job ----------------------------------------------------------------------


@dataclass
class PlanRun:
    installments: int = 0
    debits: int = 0
    notices: int = 0
    defaults: int = 0
    completed: int = 0


def do_run_payment_plans(today: dt.date | None = None) -> PlanRun:
    """The plan job (daily, and ``manage.py run_payment_plans``): each plan in effect is paid
    off, or gets the installments now due (a direct-debit plan's debited through the payments
    app), a notice of intent to terminate for one not paid by its day, and a default when it is
    still unpaid the set number of days after that notice. Each plan is its own transaction."""
    today = today or timezone.localdate()
    result = PlanRun()
    for plan_id in list(PaymentPlan.objects.filter(status=PlanStatus.ESTABLISHED).values_list("pk", flat=True)):
        do_run_plan(plan_id, today, result)
    return result


@transaction.atomic
def do_run_plan(plan_id: int, today: dt.date, result: PlanRun) -> None:
    taxpayer_id = PaymentPlan.objects.values_list("taxpayer_id", flat=True).get(pk=plan_id)
    Taxpayer.objects.select_for_update().filter(pk=taxpayer_id).first()  # the order applications lock in
    plan = PaymentPlan.objects.select_for_update(of=("self",)).select_related("taxpayer", "made_by").get(pk=plan_id)
    if plan.status != PlanStatus.ESTABLISHED:
        return
    periods = queries.plan_periods(plan)
    owing = queries.owed_by_period(periods, today)
    owed = sum((max(total, ZERO) for _p, total in owing), ZERO)
    if owed <= ZERO:
        plan.status, plan.completed_on = PlanStatus.COMPLETED, today
        plan.save(update_fields=["status", "completed_on"])
        record_event(PlanTag.COMPLETED, subject=f"payment_plan:{plan.pk}")
        _reimburse_fee(plan, today)
        result.completed += 1
        return
    oldest = next(p for p, total in owing if total > ZERO)
    _add_due_installments(plan, oldest, owed, today, result)
    _enforce(plan, periods, owed, today, result)


def _reimburse_fee(plan: PaymentPlan, today: dt.date) -> None:
    """Pay back a low-income taxpayer's reimbursable setup and revision fees on completion
    (IRC 6159(f)(2)(B), 26 CFR 300.1(b)): TC 361 abates each on the year it was posted to. The
    fees were paid by then, so each abatement leaves a credit on its year, as an overpayment would."""
    if plan.fee_reimbursable and plan.fee_posted is not None:
        plan.fee_reimbursed = _abate_fee(plan, plan.fee_posted, plan.fee_reimbursable, today, f"{plan.public_id}")
        plan.save(update_fields=["fee_reimbursed"])
    for revision in plan.revisions.filter(fee_reimbursable__gt=0, fee_posted__isnull=False).select_related(
        "fee_posted__period"
    ):
        assert revision.fee_posted is not None  # noqa: S101 (filtered above)
        _abate_fee(plan, revision.fee_posted, revision.fee_reimbursable, today, f"{plan.public_id}:{revision.pk}")


def _abate_fee(plan: PaymentPlan, fee: Transaction, amount: Decimal, today: dt.date, key: str) -> Transaction:
    abatement = do_post_transaction(
        fee.period,
        code=FEE_ABATEMENT_CODE,
        amount=-amount,
        effective_date=today,
        idempotency_key=f"federal-plan-fee-reimbursed:{key}",
        actor=f"payment_plan:{plan.pk}",
    )
    record_event(
        PlanTag.FEE_REIMBURSED,
        subject=f"payment_plan:{plan.pk}",
        extra={"transaction": abatement.pk, "fee": fee.pk, "amount": str(amount)},
    )
    return abatement


def _add_due_installments(plan: PaymentPlan, oldest: TaxPeriod, owed: Decimal, today: dt.date, result: PlanRun) -> None:
    day = queries.next_due_on(plan, today)
    if plan.monthly_amount is None or plan.due_day is None:  # short-term: the balance on its last day
        if day is not None and day <= today and not plan.installments.exists():
            Installment.objects.create(plan=plan, due_on=day, amount=owed)
            result.installments += 1
        return
    if plan.direct_debit:  # a debit the payments app refused before (its daily limit) is tried again
        for waiting in plan.installments.filter(payment__isnull=True, notice__isnull=True):
            _debit(plan, waiting, oldest, result)
    while day is not None and day <= today:
        installment = Installment.objects.create(plan=plan, due_on=day, amount=min(plan.monthly_amount, owed))
        result.installments += 1
        if plan.direct_debit:
            _debit(plan, installment, oldest, result)
        day = add_months(day.replace(day=1), 1).replace(day=plan.due_day)


def _debit(plan: PaymentPlan, installment: Installment, oldest: TaxPeriod, result: PlanRun) -> None:
    """This month's installment through the payments app, under a key of the plan and month."""
    try:
        with transaction.atomic():
            payment = do_make_payment(
                user=plan.made_by,
                taxpayer=plan.taxpayer,
                purpose=Purpose(PaymentReason.BALANCE_DUE, oldest.end.year),
                amount=installment.amount,
                pay_on=max(installment.due_on, timezone.localdate()),
                bank=BankAccount(plan.bank_account_kind, plan.routing_number, plan.account_number),
                idempotency_key=f"federal-plan:{plan.public_id}:{installment.due_on:%Y-%m}",
            )
    except PaymentError as error:
        record_event(
            PlanTag.DEBIT_FAILED,
            subject=f"payment_plan:{plan.pk}",
            extra={"installment": installment.pk, "reason": str(error)},
        )
        return
    installment.payment = payment
    installment.save(update_fields=["payment"])
    record_event(
        PlanTag.INSTALLMENT_DEBITED,
        subject=f"payment_plan:{plan.pk}",
        extra={"installment": installment.pk, "payment": payment.pk, "amount": str(installment.amount)},
    )
    result.debits += 1


def _enforce(plan: PaymentPlan, periods: list[TaxPeriod], owed: Decimal, today: dt.date, result: PlanRun) -> None:
    """An installment past its day and not covered by what was paid since the plan began gets
    a notice of intent to terminate (CP523); still not covered the set days after it, the plan
    defaults. A debit on its way to the bank counts as paid."""
    transactions = [t for p in periods for t in p.transactions.all()]
    installments = list(plan.installments.select_related("payment", "notice").order_by("due_on"))
    paid = queries.paid_on_plan(transactions, plan.established_on, today) + sum(
        (i.payment.amount for i in installments if i.payment is not None and i.payment.status in WAITING), ZERO
    )
    days = queries.terms(today).default_days_after_notice
    expected = ZERO
    noticed = False  # one notice at a time: later installments wait for the first to be cured
    for installment in installments:
        expected += installment.amount
        unpaid = owed if plan.kind == PlanKind.SHORT_TERM else expected - paid
        if installment.due_on >= today or unpaid <= ZERO:
            continue
        if installment.notice is None and not noticed:
            installment.notice = do_issue_notice(
                plan.taxpayer,
                kind=NoticeKind.INSTALLMENT_TERMINATION,
                issued_on=today,
                period=periods[0],
                amount=cents(unpaid),
            )
            installment.save(update_fields=["notice"])
            record_event(
                PlanTag.TERMINATION_NOTICE,
                subject=f"payment_plan:{plan.pk}",
                extra={"installment": installment.pk, "notice": installment.notice.pk, "unpaid": str(cents(unpaid))},
            )
            result.notices += 1
        elif installment.notice is not None and installment.notice.issued_on + dt.timedelta(days=days) <= today:
            _default(plan, periods, today)
            result.defaults += 1
            return
        noticed = True


def _default(plan: PaymentPlan, periods: list[TaxPeriod], today: dt.date) -> None:
    for period in periods:
        _post_action_code(plan, period, codes.INSTALLMENT_AGREEMENT_ENDED, today)
    plan.status, plan.defaulted_on = PlanStatus.DEFAULTED, today
    plan.save(update_fields=["status", "defaulted_on"])
    record_event(PlanTag.DEFAULTED, subject=f"payment_plan:{plan.pk}")

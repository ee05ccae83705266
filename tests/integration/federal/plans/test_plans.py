"""Payment plans: the plan on the ledger, applying (short-term; long-term with and without
direct debit; low-income fees), refusals that change nothing, one plan per form and per
taxpayer, revising, the plan job (direct debits once, notice of intent to terminate, then
default; a low-income fee paid back once on completion), another taxpayer's plan, and the
account home."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from taxgov.common.audit.models import AuditEvent
from taxgov.common.banking import BankAccount
from taxgov.federal.balances import queries as balances
from taxgov.federal.payments.actions import do_cancel_payment, do_make_payment
from taxgov.federal.payments.models import Payment, PaymentReason, PaymentStatus
from taxgov.federal.payments.queries import Purpose
from taxgov.federal.plans import actions, queries
from taxgov.federal.plans.models import Installment, PaymentPlan, PlanKind, PlanRevision, PlanStatus
from taxgov.ledger import actions as ledger
from taxgov.ledger.engine import add_months
from taxgov.ledger.models import InformationReturn, Notice, NoticeKind, TaxReturn, Transaction
from taxgov.ledger.queries import period_payoff
from tests.integration.federal.test_account import with_profile

pytestmark = pytest.mark.django_db
ROUTING = "011000015"  # a valid ABA checksum
INDEX = "/account/payment-plans/"
SHORT = "/account/payment-plans/apply/short-term/"
LONG = "/account/payment-plans/apply/long-term/"


@pytest.fixture
def pat(client, sign_in, population, personas):
    """Pat owes a late-filed year with penalties and a levy notice, above the low-income limit."""
    with_profile(sign_in, population, personas, "pat", on=client)
    return personas["pat"]


@pytest.fixture
def alex(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "alex", on=client)
    return personas["alex"]


def apply_short_term(client):
    key = client.get(SHORT).context["form"]["idempotency_key"].value()
    return client.post(SHORT, {"idempotency_key": key, "submit": ""})


def long_term_form(client, *, direct_debit: bool, **changes):
    page = client.get(LONG)
    data = {
        "direct_debit": "yes" if direct_debit else "no",
        "monthly_amount": str(page.context["position"].minimum + 50),
        "due_day": "15",
        "idempotency_key": page.context["form"]["idempotency_key"].value(),
    }
    if direct_debit:
        data.update(
            bank_account_kind="checking",
            routing_number=ROUTING,
            account_number="123456789",
            account_number_confirmation="123456789",
        )
    return {**data, **changes}


def submit_long_term(client, data):
    review = client.post(LONG, data)
    assert review.status_code == 200
    assert b"Review your payment plan" in review.content
    return client.post(LONG, {**data, "submit": ""})


def plan_codes(plan: PaymentPlan) -> list[tuple[str, str]]:
    rows = Transaction.objects.filter(idempotency_key__startswith=f"federal-plan:{plan.public_id}:")
    return sorted((row.code, row.action_code) for row in rows)


def make_low_income(taxpayer, agi: str) -> None:
    """Set the adjusted gross income of the taxpayer's latest return (the low-income test reads it)."""
    latest = TaxReturn.objects.filter(period__account__taxpayer=taxpayer).order_by("-period__end").first()
    TaxReturn.objects.filter(pk=latest.pk).update(adjusted_gross_income=Decimal(agi))


# --- viewing ---


def test_jordan_sees_the_plan_the_ledger_records(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "jordan", on=client)
    page = client.get(INDEX)
    assert page.status_code == 200
    on_ledger = page.context["ledger_plan"]
    assert on_ledger.ledger.status == "established"
    assert on_ledger.monthly > 0
    assert on_ledger.next_due_on > timezone.localdate()
    assert on_ledger.projection.paid_off
    content = page.content.decode()
    assert "set up by phone, by mail or in person" in content
    assert "What the plan will cost" in content
    assert b"You already have a payment plan" in client.get(SHORT).content


def test_without_a_plan_the_page_says_who_qualifies_for_what(client, pat):
    page = client.get(INDEX)
    found = page.context["position"]
    assert not found.refusals
    assert not found.short_term_refusals
    assert not found.long_term_refusals
    assert not found.is_low_income
    assert found.minimum == (found.owed / found.months_allowed).quantize(Decimal(1), rounding="ROUND_CEILING")
    content = page.content.decode()
    assert f"divided by the {found.months_allowed} months allowed" in content
    assert "$22.00" in content  # online, direct debit
    assert "$69.00" in content  # online, other ways
    assert "$178.00" in content  # by phone, for comparison


# --- applying ---


def test_a_short_term_plan_is_approved_at_once(client, pat):
    answer = apply_short_term(client)
    plan = PaymentPlan.objects.get()
    assert answer["Location"] == reverse("plans:detail", args=[plan.public_id])
    assert plan.kind == PlanKind.SHORT_TERM
    assert plan.pay_by == timezone.localdate() + dt.timedelta(days=180)
    assert plan.setup_fee == 0
    periods = plan.periods.count()
    assert periods >= 1
    assert plan_codes(plan) == [("971", "043")] * periods + [("971", "063")] * periods
    assert not Transaction.objects.filter(code="360").exists()
    assert AuditEvent.objects.filter(tag="federal:payment_plan:established").count() == 1
    page = client.get(answer["Location"]).content.decode()
    assert "Your payment plan is approved." in page
    assert "Pay in full by" in page


def test_a_long_term_plan_with_direct_debit(client, pat):
    data = long_term_form(client, direct_debit=True)
    answer = submit_long_term(client, data)
    plan = PaymentPlan.objects.get()
    assert answer["Location"] == reverse("plans:detail", args=[plan.public_id])
    assert plan.kind == PlanKind.LONG_TERM
    assert plan.direct_debit
    assert plan.monthly_amount == Decimal(data["monthly_amount"])
    assert plan.due_day == 15
    assert plan.first_due_on == add_months(timezone.localdate().replace(day=1), 1).replace(day=15)
    assert plan.account_number_last4 == "6789"
    assert plan.setup_fee == Decimal("22.00")
    assert plan.fee_posted.code == "360"
    assert plan.fee_posted.amount == Decimal("22.00")
    with connection.cursor() as cursor:
        cursor.execute("SELECT account_number, routing_number FROM federal_plans_paymentplan")
        stored = cursor.fetchone()
    assert "123456789" not in stored[0]
    assert ROUTING not in stored[1]
    page = client.get(answer["Location"]).content
    assert b"123456789" not in page
    assert b"Next debit" in page
    assert b"ending in 6789" in page


def test_a_long_term_plan_without_direct_debit(client, pat):
    submit_long_term(client, long_term_form(client, direct_debit=False))
    plan = PaymentPlan.objects.get()
    assert not plan.direct_debit
    assert plan.account_number == ""
    assert plan.setup_fee == Decimal("69.00")
    assert plan.fee_reimbursable == 0
    assert plan.fee_posted.amount == Decimal("69.00")


@pytest.mark.parametrize(("direct_debit", "fee"), [(True, "0"), (False, "43.00")])
def test_low_income_pays_no_fee_with_direct_debit_and_a_reimbursable_one_without(client, alex, direct_debit, fee):
    make_low_income(alex, "12000.00")
    page = client.get(LONG)
    assert page.context["position"].is_low_income
    submit_long_term(client, long_term_form(client, direct_debit=direct_debit))
    plan = PaymentPlan.objects.get()
    assert plan.low_income
    assert plan.setup_fee == Decimal(fee)
    assert plan.fee_reimbursable == Decimal(fee)
    assert Transaction.objects.filter(code="360").exists() == bool(Decimal(fee))


def test_the_review_shows_the_projected_cost_with_accruals(client, pat):
    review = client.post(LONG, long_term_form(client, direct_debit=False))
    projection = review.context["projection"]
    assert projection.paid_off
    assert projection.accruals > 0
    assert projection.total == projection.owed_now + projection.accruals
    assert b"of which" in review.content
    assert not PaymentPlan.objects.exists()


# --- refusals ---


def test_nothing_owed_is_refused_and_changes_nothing(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "sam", on=client)
    before = Transaction.objects.count()
    answer = apply_short_term(client)
    assert b"You do not owe anything" in answer.content
    assert not PaymentPlan.objects.exists()
    assert Transaction.objects.count() == before


@pytest.mark.parametrize(
    ("extra_tax", "short_term", "long_term"),
    [("60000.00", True, False), ("120000.00", False, False)],
)
def test_the_limits(client, pat, extra_tax, short_term, long_term):
    latest = pat.accounts.get().periods.order_by("-end").first()
    ledger.do_post_transaction(
        latest, code="290", amount=Decimal(extra_tax), effective_date=timezone.localdate(), idempotency_key="test-290"
    )
    before = Transaction.objects.count()
    found = client.get(INDEX).context["position"]
    assert (not found.short_term_refusals) == short_term
    assert (not found.long_term_refusals) == long_term
    answer = client.post(LONG, {**long_term_form(client, direct_debit=False), "submit": ""})
    assert b"$50,000 or less of assessed tax" in answer.content
    if not short_term:
        assert b"less than $100,000" in apply_short_term(client).content
    assert not PaymentPlan.objects.exists()
    assert Transaction.objects.count() == before


def test_a_return_not_filed_is_refused(client, pat):
    InformationReturn.objects.create(
        taxpayer=pat,
        tax_year=2015,
        kind="W-2",
        payer_name="Acme",
        payer_tin="123456789",
        income=30000,
        received_on=dt.date(2016, 1, 31),
    )
    answer = apply_short_term(client)
    assert b"We have no return from you for 2015" in answer.content
    assert not PaymentPlan.objects.exists()
    assert AuditEvent.objects.get(tag="federal:payment_plan:refused").extra["reasons"] == ["returns_not_filed"]


def test_bad_terms_are_refused(client, pat):
    minimum = client.get(LONG).context["position"].minimum
    too_little = client.post(LONG, long_term_form(client, direct_debit=False, monthly_amount=str(minimum - 1)))
    assert b"Pay at least" in too_little.content
    no_bank = client.post(LONG, long_term_form(client, direct_debit=True, routing_number=""))
    assert b"Needed for direct debit" in no_bank.content
    bad_day = client.post(LONG, long_term_form(client, direct_debit=False, due_day="29"))
    assert bad_day.context["form"].errors["due_day"]
    assert not PaymentPlan.objects.exists()


def test_a_double_submit_makes_one_plan(client, pat):
    data = long_term_form(client, direct_debit=False)
    first = submit_long_term(client, data)
    again = client.post(LONG, {**data, "submit": ""})
    assert again["Location"] == first["Location"]
    assert PaymentPlan.objects.count() == 1
    other = client.post(LONG, {**data, "due_day": "3", "submit": ""})
    assert b"already used for a different payment plan" in other.content
    second_tab = client.post(LONG, {**long_term_form(client, direct_debit=False), "submit": ""})
    assert b"You already have a payment plan" in second_tab.content
    assert PaymentPlan.objects.count() == 1
    assert Transaction.objects.filter(code="360").count() == 1


# --- revising ---


def test_revise_the_amount_and_day(client, pat):
    submit_long_term(client, long_term_form(client, direct_debit=False))
    plan = PaymentPlan.objects.get()
    url = reverse("plans:revise", args=[plan.public_id])
    page = client.get(url)
    key = page.context["form"]["idempotency_key"].value()
    new_amount = plan.monthly_amount + 25
    answer = client.post(url, {"monthly_amount": str(new_amount), "due_day": "3", "idempotency_key": key})
    assert answer["Location"] == reverse("plans:detail", args=[plan.public_id])
    client.post(url, {"monthly_amount": str(new_amount), "due_day": "3", "idempotency_key": key})
    plan.refresh_from_db()
    assert plan.monthly_amount == new_amount
    assert plan.due_day == 3
    revision = PlanRevision.objects.get()
    assert revision.fee == Decimal("10.00")
    assert revision.fee_posted.code == "360"
    assert AuditEvent.objects.filter(tag="federal:payment_plan:revised").count() == 1
    too_little = client.post(url, {"monthly_amount": "1.00", "due_day": "3", "idempotency_key": "k" * 32})
    assert b"Pay at least" in too_little.content
    assert PlanRevision.objects.count() == 1


def test_a_direct_debit_plan_cannot_be_changed_online(client, pat):
    submit_long_term(client, long_term_form(client, direct_debit=True))
    plan = PaymentPlan.objects.get()
    url = reverse("plans:revise", args=[plan.public_id])
    assert b"A direct debit plan cannot be changed online" in client.get(url).content
    with pytest.raises(actions.PlanError, match="cannot be changed online"):
        actions.do_revise_plan(
            plan, user=plan.made_by, monthly_amount=Decimal(500), due_day=2, idempotency_key="k" * 32
        )
    assert not PlanRevision.objects.exists()


# --- the plan job ---


def test_a_direct_debit_installment_is_made_once(client, pat):
    submit_long_term(client, long_term_form(client, direct_debit=True))
    plan = PaymentPlan.objects.get()
    due = plan.first_due_on
    call_command("run_payment_plans", "--as-of", due.isoformat())
    call_command("run_payment_plans", "--as-of", due.isoformat())
    payment = Payment.objects.get()
    assert payment.idempotency_key == f"federal-plan:{plan.public_id}:{due:%Y-%m}"
    assert payment.amount == plan.monthly_amount
    assert payment.pay_on == due
    assert payment.account_number_last4 == "6789"
    assert Installment.objects.get().payment == payment
    call_command("settle_payments", "--as-of", due.isoformat())
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PROCESSED
    call_command("run_payment_plans", "--as-of", (due + dt.timedelta(days=1)).isoformat())
    assert not Notice.objects.filter(kind=NoticeKind.INSTALLMENT_TERMINATION).exists()


def test_a_debit_refused_by_the_payments_limit_is_tried_again(client, pat):
    submit_long_term(client, long_term_form(client, direct_debit=True))
    plan = PaymentPlan.objects.get()
    bank = BankAccount("checking", ROUTING, "123456789")
    later = timezone.localdate() + dt.timedelta(days=60)
    made = [
        do_make_payment(
            user=plan.made_by,
            taxpayer=pat,
            purpose=Purpose(PaymentReason.ESTIMATED_TAX, later.year),
            amount=Decimal(10),
            pay_on=later,
            bank=bank,
            idempotency_key=f"test-payment-{n}" * 2,
        )
        for n in range(2)
    ]
    actions.do_run_payment_plans(plan.first_due_on)
    assert Installment.objects.get().payment is None
    assert AuditEvent.objects.filter(tag="federal:payment_plan:debit_failed").count() == 1
    do_cancel_payment(made[0], user=plan.made_by)
    actions.do_run_payment_plans(plan.first_due_on)
    assert Installment.objects.get().payment.amount == plan.monthly_amount


def test_a_missed_installment_brings_a_notice_then_the_plan_defaults(client, pat):
    submit_long_term(client, long_term_form(client, direct_debit=False))
    plan = PaymentPlan.objects.get()
    day_after = plan.first_due_on + dt.timedelta(days=1)
    actions.do_run_payment_plans(plan.first_due_on)
    assert not Notice.objects.filter(kind=NoticeKind.INSTALLMENT_TERMINATION).exists()
    actions.do_run_payment_plans(day_after)
    notice = Notice.objects.get(kind=NoticeKind.INSTALLMENT_TERMINATION)
    assert notice.issued_on == day_after
    assert notice.amount == plan.monthly_amount
    assert Installment.objects.get(due_on=plan.first_due_on).notice == notice
    assert b"notice of intent to terminate" in client.get(INDEX).content
    actions.do_run_payment_plans(day_after + dt.timedelta(days=29))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ESTABLISHED
    assert Notice.objects.filter(kind=NoticeKind.INSTALLMENT_TERMINATION).count() == 1
    actions.do_run_payment_plans(day_after + dt.timedelta(days=30))
    actions.do_run_payment_plans(day_after + dt.timedelta(days=31))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DEFAULTED
    assert plan.defaulted_on == day_after + dt.timedelta(days=30)
    assert plan_codes(plan).count(("971", "064")) == plan.periods.count()
    assert AuditEvent.objects.filter(tag="federal:payment_plan:defaulted").count() == 1
    page = client.get(reverse("plans:detail", args=[plan.public_id])).content
    assert b"This plan has defaulted" in page


def test_paying_after_the_notice_keeps_the_plan(client, pat):
    submit_long_term(client, long_term_form(client, direct_debit=False))
    plan = PaymentPlan.objects.get()
    day_after = plan.first_due_on + dt.timedelta(days=1)
    actions.do_run_payment_plans(day_after)
    period = plan.periods.order_by("end").first()
    ledger.do_post_transaction(
        period, code="670", amount=-plan.monthly_amount, effective_date=day_after, idempotency_key="test-670"
    )
    actions.do_run_payment_plans(day_after + dt.timedelta(days=30))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ESTABLISHED


def pay_in_full(plan: PaymentPlan, day: dt.date) -> dict[int, Decimal]:
    """Pay each year's exact payoff rounded up to the cent (the parts shown, each rounded, can
    add up to a cent less); the fraction of a cent overpaid, by period."""
    overpaid = {}
    for period in queries.plan_periods(plan):
        exact = period_payoff(period, day).total
        owed = exact.quantize(Decimal("0.01"), rounding=ROUND_CEILING)
        ledger.do_post_transaction(
            period, code="670", amount=-owed, effective_date=day, idempotency_key=f"t-{period.pk}"
        )
        overpaid[period.pk] = owed - exact
    return overpaid


def test_a_plan_paid_in_full_is_completed(client, pat):
    apply_short_term(client)
    plan = PaymentPlan.objects.get()
    today = timezone.localdate()
    pay_in_full(plan, today)
    actions.do_run_payment_plans(today)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED
    assert plan.fee_reimbursed is None
    assert client.get(SHORT).context["position"].refusals[0].code == "nothing_owed"


def test_low_income_fees_are_paid_back_once_when_the_plan_is_completed(client, alex):
    """The reimbursable setup and revision fees are abated (TC 361) on the years they were
    posted to; they were paid with the rest, so those years are left with a credit."""
    make_low_income(alex, "12000.00")
    submit_long_term(client, long_term_form(client, direct_debit=False))
    plan = PaymentPlan.objects.get()
    url = reverse("plans:revise", args=[plan.public_id])
    key = client.get(url).context["form"]["idempotency_key"].value()
    client.post(url, {"monthly_amount": str(plan.monthly_amount + 5), "due_day": "3", "idempotency_key": key})
    revision = PlanRevision.objects.get()
    assert revision.fee_reimbursable == revision.fee > 0
    today = timezone.localdate()
    actions.do_run_payment_plans(today)
    assert not Transaction.objects.filter(code="361").exists()  # not before the plan is completed
    overpaid = pay_in_full(plan, today)
    actions.do_run_payment_plans(today)
    actions.do_run_payment_plans(today + dt.timedelta(days=1))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED
    setup, revised = Transaction.objects.filter(code="361").order_by("pk")
    assert plan.fee_reimbursed == setup
    assert (setup.period, setup.amount, setup.effective_date) == (plan.fee_posted.period, Decimal("-43.00"), today)
    assert (revised.period, revised.amount) == (revision.fee_posted.period, -revision.fee)
    events = AuditEvent.objects.filter(tag="federal:payment_plan:fee_reimbursed").order_by("sequence")
    assert [event.extra for event in events] == [
        {"transaction": setup.pk, "fee": plan.fee_posted.pk, "amount": "43.00"},
        {"transaction": revised.pk, "fee": revision.fee_posted.pk, "amount": str(revision.fee)},
    ]
    credit = -(Decimal("43.00") + revision.fee) if setup.period == revised.period else Decimal("-43.00")
    # Exactly the fees, less the fraction of a cent the payment rounded up (which hinges on the day's interest).
    left = period_payoff(setup.period, today).total
    assert abs(left - (credit - overpaid[setup.period.pk])) < Decimal("1e-12")
    page = client.get(reverse("plans:detail", args=[plan.public_id])).content.decode()
    day = formats.date_format(today, "DATE_FORMAT")
    assert f"$43.00 ($43.00 paid back on {day}, as a credit on your account)" in page


# --- who sees what ---


def test_another_taxpayers_plan_is_a_404(client, pat, sign_in, population, personas):
    apply_short_term(client)
    plan = PaymentPlan.objects.get()
    other = Client()
    with_profile(sign_in, population, personas, "alex", on=other)
    assert other.get(reverse("plans:detail", args=[plan.public_id])).status_code == 404
    assert other.get(reverse("plans:revise", args=[plan.public_id])).status_code == 404
    assert other.post(reverse("plans:revise", args=[plan.public_id])).status_code == 404


def test_the_account_home_reflects_the_plan(client, pat):
    home = client.get(reverse("balances:home"))
    assert home.context["summary"].plan is None
    submit_long_term(client, long_term_form(client, direct_debit=False))
    plan = PaymentPlan.objects.get()
    summary = client.get(reverse("balances:home")).context["summary"]
    assert summary.plan.status == "established"
    assert summary.plan.since == plan.established_on
    assert {p.pk for p in summary.plan.periods} == set(plan.periods.values_list("pk", flat=True))
    assert b"You have a payment plan, in place since" in client.get(reverse("balances:home")).content
    actions.do_run_payment_plans(plan.first_due_on + dt.timedelta(days=1))
    actions.do_run_payment_plans(plan.first_due_on + dt.timedelta(days=31))
    # The home reads the ledger as of today; the default is dated later, so ask for that day.
    later = balances.summary(pat, plan.first_due_on + dt.timedelta(days=31))
    assert later.plan.status == "ended"

"""The signed-in portal: summary, letters, payments, Manage My Access and Manage My Clients."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from taxgov.common.audit.models import AuditEvent
from taxgov.ledger import actions as ledger
from taxgov.ledger.models import AccountType, NoticeKind, TaxAccount, Transaction
from taxgov.state.accounts.models import AccessRole, AccessStatus, TaxpayerAccess, User
from taxgov.state.payments.actions import do_post_due_payments
from taxgov.state.payments.models import Payment, PaymentStatus
from tests.integration.state.conftest import individual

pytestmark = pytest.mark.django_db
ROUTING = "011000015"  # a valid ABA checksum


def logon(username: str, *, taxpayer=None, role=AccessRole.OWNER, professional: bool = False) -> User:
    user = User.objects.create_user(
        username,
        "Harbor7Lights",
        email=f"{username}@example.com",
        full_name=username.title(),
        is_tax_professional=professional,
    )
    if taxpayer is not None:
        TaxpayerAccess.objects.create(user=user, taxpayer=taxpayer, role=role)
    return user


def owing_taxpayer(tin: str):
    """Owes its 2025 Form 1 balance of $400."""
    taxpayer = individual(tin, tax_after_credits=("1400.00",))
    period = TaxAccount.objects.get(taxpayer=taxpayer).periods.get()
    ledger.do_post_transaction(
        period, code="670", amount=Decimal("-1000.00"), effective_date=dt.date(2026, 4, 1), idempotency_key=f"pay-{tin}"
    )
    return taxpayer, period


def test_summary_shows_balances_letters_and_returns(client):
    taxpayer, _period = owing_taxpayer("900-41-0001")
    notice = ledger.do_issue_notice(
        taxpayer, kind=NoticeKind.STATE_ASSESSMENT, issued_on=dt.date(2026, 5, 1), with_letter_id=True
    )
    client.force_login(logon("owner.one", taxpayer=taxpayer))
    page = client.get(reverse("portal:home")).content.decode()
    assert "Personal Income Tax" in page
    assert notice.letter_id in page
    assert "Form 1" in page
    pdf = client.get(reverse("portal:letter", kwargs={"notice_id": notice.pk}))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_someone_elses_letter_is_a_404(client):
    taxpayer, _ = owing_taxpayer("900-41-0002")
    notice = ledger.do_issue_notice(
        taxpayer, kind=NoticeKind.STATE_ASSESSMENT, issued_on=dt.date(2026, 5, 1), with_letter_id=True
    )
    client.force_login(logon("stranger"))
    assert client.get(reverse("portal:letter", kwargs={"notice_id": notice.pk})).status_code == 404
    assert client.get(reverse("portal:letter", kwargs={"notice_id": 999999})).status_code == 404


def pay(client, taxpayer, period, *, key: str, amount: str = "400.00", pay_on: dt.date | None = None):
    day = pay_on or timezone.localdate()
    return client.post(
        reverse("payments:make", kwargs={"taxpayer_id": taxpayer.public_id}),
        {
            "period": period.pk,
            "amount": amount,
            "pay_on": day.strftime("%m/%d/%Y"),
            "bank_account_kind": "checking",
            "routing_number": ROUTING,
            "account_number": "123456789",
            "account_number_confirmation": "123456789",
            "idempotency_key": key,
        },
    )


def test_a_payment_today_posts_once_even_when_submitted_twice(client):
    taxpayer, period = owing_taxpayer("900-41-0003")
    client.force_login(logon("payer", taxpayer=taxpayer))
    key = uuid.uuid4().hex
    first = pay(client, taxpayer, period, key=key)
    second = pay(client, taxpayer, period, key=key)
    assert first["Location"] == second["Location"]
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.POSTED
    assert payment.routing_number == ROUTING
    assert Transaction.objects.filter(period=period, code="670", amount=Decimal("-400.00")).count() == 1
    assert AuditEvent.objects.filter(tag="money:payment:posted").count() == 1


def test_a_scheduled_payment_can_be_cancelled_and_otherwise_posts_on_its_day(client):
    taxpayer, period = owing_taxpayer("900-41-0004")
    client.force_login(logon("planner", taxpayer=taxpayer))
    later = timezone.localdate() + dt.timedelta(days=10)
    pay(client, taxpayer, period, key=uuid.uuid4().hex, pay_on=later)
    pay(client, taxpayer, period, key=uuid.uuid4().hex, pay_on=later, amount="10.00")
    cancelled, kept = Payment.objects.order_by("pk")
    client.post(reverse("payments:cancel", kwargs={"public_id": cancelled.public_id}))
    cancelled.refresh_from_db()
    assert cancelled.status == PaymentStatus.CANCELLED
    assert do_post_due_payments(timezone.localdate()) == 0
    assert do_post_due_payments(later) == 1
    kept.refresh_from_db()
    assert kept.status == PaymentStatus.POSTED
    assert (
        not Transaction.objects.filter(amount=Decimal("-400.00"), code="670", period=period)
        .exclude(idempotency_key__startswith="pay-")
        .exists()
    )


def test_bad_bank_details_change_nothing(client):
    taxpayer, period = owing_taxpayer("900-41-0005")
    client.force_login(logon("typo", taxpayer=taxpayer))
    response = client.post(
        reverse("payments:make", kwargs={"taxpayer_id": taxpayer.public_id}),
        {
            "period": period.pk,
            "amount": "-5",
            "pay_on": "01/01/2020",
            "bank_account_kind": "checking",
            "routing_number": "011000016",
            "account_number": "12ab",
            "account_number_confirmation": "9999",
            "idempotency_key": "k",
        },
    )
    page = response.content.decode()
    assert "routing number" in page
    assert not Payment.objects.exists()


def test_cannot_pay_for_a_taxpayer_without_access(client):
    taxpayer, _ = owing_taxpayer("900-41-0006")
    client.force_login(logon("nosy"))
    assert client.get(reverse("payments:make", kwargs={"taxpayer_id": taxpayer.public_id})).status_code == 404


def test_a_tax_professional_gets_access_only_after_the_client_approves(client, django_capture_on_commit_callbacks):
    taxpayer, _ = owing_taxpayer("900-41-0007")
    owner = logon("client.owner", taxpayer=taxpayer)
    professional = logon("the.preparer", professional=True)
    client.force_login(professional)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("delegation:manage_clients"), {"tin": "900-41-0007", "name": "mo"})
    grant = TaxpayerAccess.objects.get(user=professional)
    assert grant.status == AccessStatus.REQUESTED
    assert "Larry Mo" not in client.get(reverse("portal:home")).content.decode()

    client.force_login(owner)
    assert "Asks for access" in client.get(reverse("delegation:manage_access")).content.decode()
    client.post(reverse("delegation:decide", kwargs={"grant_id": grant.pk}), {"decision": "approve"})
    client.force_login(professional)
    assert "Larry Mo" in client.get(reverse("portal:home")).content.decode()

    client.force_login(owner)
    client.post(reverse("delegation:revoke", kwargs={"grant_id": grant.pk}))
    client.force_login(professional)
    assert "Larry Mo" not in client.get(reverse("portal:home")).content.decode()


def test_a_request_with_the_wrong_name_says_the_same_and_creates_nothing(client):
    owing_taxpayer("900-41-0008")
    client.force_login(logon("fisher", professional=True))
    response = client.post(reverse("delegation:manage_clients"), {"tin": "900-41-0008", "name": "smith"}, follow=True)
    assert "If the ID and name match" in response.content.decode()
    assert not TaxpayerAccess.objects.filter(role=AccessRole.REPRESENTATIVE).exists()


def test_manage_my_clients_is_only_for_tax_professionals(client):
    client.force_login(logon("plain"))
    assert client.get(reverse("delegation:manage_clients")).status_code == 404


def test_a_master_administrator_limits_a_tax_administrator_to_one_account(client):
    business = ledger.do_register_taxpayer(
        kind="business",
        tin_type="ein",
        tin="00-4100009",
        name="Harbor Lights LLC",
        address=ledger.NewAddress("1 Pier", "Boston", "MA", "02110", valid_from=dt.date(2020, 1, 1)),
        registered_on=dt.date(2020, 1, 1),
    )
    withholding = ledger.do_open_account(business, AccountType.WITHHOLDING, opened_on=dt.date(2020, 1, 1))
    ledger.do_open_account(business, AccountType.SALES, opened_on=dt.date(2020, 1, 1))
    master = logon("the.master", taxpayer=business, role=AccessRole.MASTER_ADMINISTRATOR)
    admin = logon("the.admin", taxpayer=business, role=AccessRole.TAX_ADMINISTRATOR)
    grant = TaxpayerAccess.objects.get(user=admin)
    client.force_login(master)
    client.post(
        reverse("delegation:set_scope", kwargs={"grant_id": grant.pk}), {f"g{grant.pk}-account": withholding.pk}
    )
    grant.refresh_from_db()
    assert grant.account == withholding
    client.force_login(admin)
    assert client.post(reverse("delegation:set_scope", kwargs={"grant_id": grant.pk}), {}).status_code == 404


def test_an_owners_or_master_administrators_access_is_not_removed_in_the_portal(client):
    taxpayer, _ = owing_taxpayer("900-41-0010")
    first = logon("first.owner", taxpayer=taxpayer)
    second = logon("second.owner", taxpayer=taxpayer)
    client.force_login(second)
    client.post(reverse("delegation:revoke", kwargs={"grant_id": TaxpayerAccess.objects.get(user=first).pk}))
    assert TaxpayerAccess.objects.get(user=first).status == AccessStatus.ACTIVE

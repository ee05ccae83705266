"""Create My Logon and the Register paths, driven through the views as a browser would."""

from __future__ import annotations

import datetime as dt
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from taxgov.common.audit.models import AuditEvent
from taxgov.common.messaging.models import OutboxMessage
from taxgov.ledger.models import Notice, Taxpayer
from taxgov.state.accounts.models import AccessRole, TaxpayerAccess, User
from taxgov.state.registration.actions import do_delete_stale_drafts
from taxgov.state.registration.models import RegistrationRequest, RequestStatus
from taxgov.state.registration.queries import match_prior_filing
from tests.integration.state.conftest import individual

pytestmark = pytest.mark.django_db
PASSWORD = "Harbor7Lights"


def step(kind: str, key: str) -> str:
    return reverse("registration:step", kwargs={"kind": kind, "step": key})


def walk_to_amount(client, tin: str, *, evidence: str = "amount", amount_kind: str = "return"):
    client.post(step("logon", "taxpayer-type"), {"taxpayer_type": "individual"})
    client.post(
        step("logon", "taxpayer-id"),
        {"id_type": "ssn", "tin_entry": tin, "tin_confirmation": tin, "account_type": "individual_income"},
    )
    return client.post(step("logon", "verification-type"), {"evidence": evidence, "amount_kind": amount_kind})


def finish(client, kind: str = "logon", username: str = "good.elmo"):
    client.post(
        step(kind, "profile"),
        {
            "full_name": "LARRY MO",
            "phone_country": "US",
            "phone_type": "cell",
            "phone_entry": "(617) 555-0123",
            "pin": "1234",
            "email": "larry@example.com",
            "email_confirmation": "larry@example.com",
        },
    )
    client.post(
        step(kind, "logon"),
        {
            "username": username,
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
            "secret_question": "first_pet",
            "secret_answer": "Rex",
        },
    )
    client.post(step(kind, "profile-access"), {})
    client.post(step(kind, "terms"), {"agree": "on"})
    return client.post(step(kind, "summary"), {})


def test_create_my_logon_with_a_prior_return_amount_is_approved_and_activates(
    client, django_capture_on_commit_callbacks
):
    individual("900-12-6789", tax_after_credits=("1234.56", "880.00", "100.00"))
    walk_to_amount(client, "900-12-6789")
    response = client.post(step("logon", "tax-amount"), {"amount": "100.00"})
    assert response.status_code == 302
    assert response["Location"] == step("logon", "profile")

    with django_capture_on_commit_callbacks(execute=True):
        response = finish(client)
    assert response["Location"] == reverse("registration:confirmation")
    page = client.get(response["Location"]).content.decode()
    submitted = RegistrationRequest.objects.get()
    assert submitted.status == RequestStatus.APPROVED
    assert re.fullmatch(r"[0-9]-[0-9]{3}-[0-9]{3}-[0-9]{3}", submitted.confirmation_number)
    assert submitted.confirmation_number in page
    assert "good.elmo" in page
    assert "1234" in page

    subjects = list(OutboxMessage.objects.order_by("pk").values_list("subject", flat=True))
    assert subjects[0].startswith("Request Received")
    assert subjects[1] == "Registration Approved"
    approval = OutboxMessage.objects.get(subject="Registration Approved")
    link = re.search(r"http://testserver(/activate/[^\s]+/)", approval.body_text).group(1)

    user = User.objects.get(username="good.elmo")
    assert not user.is_active
    assert user.check_password(PASSWORD)
    assert TaxpayerAccess.objects.get(user=user).role == AccessRole.OWNER

    assert client.get(link).status_code == 200  # a mail scanner's GET changes nothing
    user.refresh_from_db()
    assert user.activated_at is None
    client.post(link)
    user.refresh_from_db()
    assert user.is_active
    assert user.activated_at is not None
    again = client.post(link, follow=True)
    assert "already active" in again.content.decode()


def test_the_id_is_masked_once_entered_and_kept_when_left_blank(client):
    individual("900-12-6790")
    walk_to_amount(client, "900-12-6790")
    page = client.get(step("logon", "taxpayer-id")).content.decode()
    assert "***-**-6790" in page
    assert "900126790" not in page
    client.post(step("logon", "taxpayer-id"), {"id_type": "ssn", "account_type": "individual_income"})
    assert RegistrationRequest.objects.get().tin == "900126790"


def test_id_and_confirm_id_must_match(client):
    client.post(step("logon", "taxpayer-type"), {"taxpayer_type": "individual"})
    response = client.post(
        step("logon", "taxpayer-id"),
        {
            "id_type": "ssn",
            "tin_entry": "900126789",
            "tin_confirmation": "900126788",
            "account_type": "individual_income",
        },
    )
    assert "The ID and Confirm ID do not match." in response.content.decode()
    assert RegistrationRequest.objects.get().tin == ""


def test_a_wrong_amount_is_refused_without_saying_which_part_and_is_counted(client):
    individual("900-12-6791", tax_after_credits=("500.00",))
    walk_to_amount(client, "900-12-6791")
    response = client.post(step("logon", "tax-amount"), {"amount": "501.00"})
    page = response.content.decode()
    assert "does not match our records" in page
    assert RegistrationRequest.objects.get().verified_taxpayer is None
    assert AuditEvent.objects.filter(tag="registration:verification:failed").count() == 1
    assert client.get(step("logon", "profile"))["Location"] == step("logon", "tax-amount")


def test_a_refund_amount_proves_the_filing(client):
    individual("900-12-6792", tax_after_credits=("700.00",), refund="250.00")
    walk_to_amount(client, "900-12-6792", amount_kind="refund")
    response = client.post(step("logon", "tax-amount"), {"amount": "250.00"})
    assert response["Location"] == step("logon", "profile")


def test_only_zero_returns_cannot_verify_and_are_told_to_call(client, settings):
    individual("900-12-6793", tax_after_credits=("0.00", "0.00", "0.00"))
    walk_to_amount(client, "900-12-6793")
    zero = client.post(step("logon", "tax-amount"), {"amount": "0.00"}).context["form"]
    assert zero.errors["amount"] == ["The amount must be greater than $0."]
    page = client.post(step("logon", "tax-amount"), {"amount": "1.00"}).content.decode()
    assert "does not match our records" in page
    assert settings.TAXGOV_STATE_PORTAL["phone"] in page
    assert "only zero returns" in page


def test_a_letter_id_proves_the_filing(client):
    taxpayer = individual("900-12-6794", letter=True)
    letter_id = Notice.objects.get(taxpayer=taxpayer).letter_id
    walk_to_amount(client, "900-12-6794", evidence="letter")
    assert client.post(step("logon", "tax-amount"), {"letter_id": "L0000000000"}).status_code == 200
    response = client.post(step("logon", "tax-amount"), {"letter_id": letter_id.lower()})
    assert response["Location"] == step("logon", "profile")


def test_failed_proofs_are_rate_limited_per_id(client):
    individual("900-12-6795", tax_after_credits=("500.00",))
    walk_to_amount(client, "900-12-6795")
    for attempt in range(5):
        client.post(step("logon", "tax-amount"), {"amount": f"{attempt + 1}.00"})
    response = client.post(step("logon", "tax-amount"), {"amount": "500.00"})
    assert "Too many attempts" in response.content.decode()
    assert RegistrationRequest.objects.get().verified_taxpayer is None


def test_changing_the_id_undoes_the_proof(client):
    individual("900-12-6796", tax_after_credits=("500.00",))
    individual("900-12-6797", tax_after_credits=("600.00",))
    walk_to_amount(client, "900-12-6796")
    client.post(step("logon", "tax-amount"), {"amount": "500.00"})
    assert RegistrationRequest.objects.get().verified_taxpayer is not None
    client.post(
        step("logon", "taxpayer-id"),
        {
            "id_type": "ssn",
            "tin_entry": "900126797",
            "tin_confirmation": "900126797",
            "account_type": "individual_income",
        },
    )
    assert RegistrationRequest.objects.get().verified_taxpayer is None
    assert client.get(step("logon", "profile"))["Location"] == step("logon", "tax-amount")


def test_steps_cannot_be_skipped(client):
    assert client.get(step("logon", "summary"))["Location"] == step("logon", "taxpayer-type")
    assert client.get(step("logon", "nonsense")).status_code == 404
    assert client.get(reverse("registration:start", kwargs={"kind": "nonsense"})).status_code == 404


def test_visiting_the_first_step_stores_nothing(client):
    assert client.get(step("logon", "taxpayer-type")).status_code == 200
    assert not RegistrationRequest.objects.exists()


def test_password_rules_and_username_uniqueness(client):
    individual("900-12-6798", tax_after_credits=("500.00",))
    User.objects.create_user("Taken.Name", "x")
    walk_to_amount(client, "900-12-6798")
    client.post(step("logon", "tax-amount"), {"amount": "500.00"})
    finish_profile = {
        "full_name": "LARRY MO",
        "phone_country": "US",
        "phone_type": "cell",
        "phone_entry": "6175550123",
        "pin": "1234",
        "email": "larry@example.com",
        "email_confirmation": "larry@example.com",
    }
    assert client.post(step("logon", "profile"), finish_profile).status_code == 302
    logon = {"secret_question": "first_pet", "secret_answer": "Rex"}
    page = client.post(
        step("logon", "logon"),
        {**logon, "username": "taken.name", "password": PASSWORD, "password_confirmation": PASSWORD},
    ).content.decode()
    assert "This username is taken" in page
    for password, message in [
        ("short1A", "between 8-15 characters"),
        ("alllowercase1", "at least one upper case letter"),
        ("Password123", "too common"),
        ("has space", "no spaces"),
    ]:
        username = "has space" if password == "has space" else "fresh.name"
        page = client.post(
            step("logon", "logon"),
            {**logon, "username": username, "password": password, "password_confirmation": password},
        ).content.decode()
        assert message in page, password


def test_double_submit_creates_one_request(client, django_capture_on_commit_callbacks):
    individual("900-12-6799", tax_after_credits=("500.00",))
    walk_to_amount(client, "900-12-6799")
    client.post(step("logon", "tax-amount"), {"amount": "500.00"})
    with django_capture_on_commit_callbacks(execute=True):
        finish(client)
        again = client.post(step("logon", "summary"), {})
    assert again.status_code == 302
    assert RegistrationRequest.objects.count() == 1
    assert User.objects.count() == 1
    assert OutboxMessage.objects.filter(subject="Registration Approved").count() == 1


def test_cancel_deletes_the_draft(client):
    client.post(step("logon", "taxpayer-type"), {"taxpayer_type": "individual"})
    client.post(reverse("registration:cancel", kwargs={"kind": "logon"}))
    assert not RegistrationRequest.objects.exists()


def test_register_an_individual_waits_for_staff_then_creates_the_taxpayer(
    client, django_user_model, django_capture_on_commit_callbacks
):
    client.post(
        step("individual", "taxpayer"),
        {
            "first_name": "Nia",
            "last_name": "Okafor",
            "id_type": "ssn",
            "tin_entry": "900-31-4159",
            "tin_confirmation": "900-31-4159",
            "date_of_birth": "04/28/1986",
        },
    )
    client.post(
        step("individual", "address"),
        {"address_line1": "5 Elm St", "city": "Worcester", "state": "MA", "postal_code": "01608"},
    )
    client.post(step("individual", "taxes"), {"new_account_types": ["sales"], "new_accounts_from": "01/01/2026"})
    finish(client, "individual", username="nia.okafor")
    submitted = RegistrationRequest.objects.get()
    assert submitted.status == RequestStatus.SUBMITTED
    assert not Taxpayer.objects.exists()

    staff = django_user_model.objects.create_user("reviewer", "x", is_staff=True)
    client.force_login(staff)
    assert "nia.okafor" in client.get(reverse("registration:review_queue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registration:review", kwargs={"public_id": submitted.public_id}), {"decision": "approve"})
    taxpayer = Taxpayer.objects.get()
    assert taxpayer.last_name == "Okafor"
    assert [a.account_type for a in taxpayer.accounts.all()] == ["sales"]
    user = User.objects.get(username="nia.okafor")
    assert TaxpayerAccess.objects.get(user=user).role == AccessRole.OWNER
    assert OutboxMessage.objects.filter(subject="Registration Approved").exists()


def test_register_refuses_an_id_already_on_file(client):
    individual("900-12-6800")
    response = client.post(
        step("business", "taxpayer"),
        {
            "organization_type": "corporation",
            "legal_name": "Acme",
            "tin_entry": "900126800",
            "tin_confirmation": "900126800",
        },
    )
    assert "already registered" in response.content.decode()


def test_staff_pages_are_refused_to_the_public(client):
    assert client.get(reverse("registration:review_queue")).status_code == 403


def test_drafts_untouched_for_a_week_are_deleted(client):
    client.post(step("logon", "taxpayer-type"), {"taxpayer_type": "individual"})
    assert do_delete_stale_drafts() == 0
    assert do_delete_stale_drafts(timezone.now() + timedelta(days=8)) == 1
    assert not RegistrationRequest.objects.exists()


def test_changing_the_taxpayer_type_after_the_proof_asks_for_everything_again(client):
    individual("900-12-6801", tax_after_credits=("500.00",))
    walk_to_amount(client, "900-12-6801")
    client.post(step("logon", "tax-amount"), {"amount": "500.00"})
    client.post(step("logon", "taxpayer-type"), {"taxpayer_type": "organization"})
    draft = RegistrationRequest.objects.get()
    assert draft.verified_taxpayer is None
    assert draft.tin == ""
    assert client.get(step("logon", "summary"))["Location"] == step("logon", "taxpayer-id")


def test_submitting_again_after_submitting_shows_the_request_made(client, django_capture_on_commit_callbacks):
    individual("900-12-6802", tax_after_credits=("500.00",))
    walk_to_amount(client, "900-12-6802")
    client.post(step("logon", "tax-amount"), {"amount": "500.00"})
    with django_capture_on_commit_callbacks(execute=True):
        finish(client)
    assert client.post(step("logon", "summary"), {})["Location"] == reverse("registration:confirmation")


def test_a_request_is_decided_once_and_not_over_a_registration_made_since(client, django_user_model):
    client.post(
        step("business", "taxpayer"),
        {
            "organization_type": "llc",
            "legal_name": "Pier Co",
            "tin_entry": "00-7700001",
            "tin_confirmation": "00-7700001",
        },
    )
    client.post(
        step("business", "address"),
        {"address_line1": "1 Pier", "city": "Boston", "state": "MA", "postal_code": "02110"},
    )
    client.post(step("business", "taxes"), {"new_account_types": ["sales"], "new_accounts_from": "01/01/2026"})
    finish(client, "business", username="pier.co")
    waiting = RegistrationRequest.objects.get()
    individual("00-7700001")  # the ID was registered by another route meanwhile
    client.force_login(django_user_model.objects.create_user("reviewer", "x", is_staff=True))
    url = reverse("registration:review", kwargs={"public_id": waiting.public_id})
    page = client.post(url, {"decision": "approve"}, follow=True).content.decode()
    assert "registered after the request was made" in page
    assert not User.objects.filter(username="pier.co").exists()
    client.post(url, {"decision": "deny"})
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.DENIED
    assert waiting.password_hash == ""
    assert client.post(url, {"decision": "approve"}).status_code == 404  # no longer waiting


def test_proof_by_letter_works_on_a_leap_day():
    taxpayer = individual("900-12-6803", letter=True)
    letter = Notice.objects.get(taxpayer=taxpayer).letter_id
    found = match_prior_filing(
        tin="900126803",
        account_type="individual_income",
        evidence="letter",
        amount_kind="",
        amount=None,
        letter_id=letter,
        today=dt.date(2028, 2, 29),
    )
    assert found is not None

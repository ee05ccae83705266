"""Authorizations: the professional profile, POA and TIA requests from taylor (a tax
professional) to alex, signing, rejecting, revoking and withdrawing, newer authorizations
replacing older ones line by line, requests that match nobody, and income verification."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from taxgov.common.audit.models import AuditEvent
from taxgov.federal.authorizations.models import (
    Authorization,
    AuthorizationStatus,
    IncomeVerification,
    Professional,
    VerificationStatus,
)
from taxgov.ledger import queries as ledger
from tests.integration.federal.conftest import identity_of, person
from tests.integration.federal.test_account import with_profile

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year
LAST_YEAR = THIS_YEAR - 1


def address_of(taxpayer) -> dict[str, str]:
    address = ledger.current_address(taxpayer)
    return {
        "address_line1": address.line1,
        "address_line2": address.line2,
        "city": address.city,
        "state": address.state,
        "postal_code": address.postal_code,
    }


def client_fields(population, personas, key: str, **changes) -> dict[str, str]:
    """The client's name, TIN and address as the ledger has them."""
    found = person(population, key)
    return {
        "first_name": found.first_name,
        "last_name": found.last_name,
        "tin": found.tin,
        **address_of(personas[key]),
        **changes,
    }


PRO_ADDRESS = {
    "address_line1": "1 Main Street",
    "address_line2": "Suite 200",
    "city": "Boston",
    "state": "MA",
    "postal_code": "02108",
}


def become_professional(browser: Client, sign_in, population, key: str, designation: str = "cpa") -> Professional:
    sign_in(identity_of(person(population, key), f"sub-{key}"), on=browser)
    answer = browser.post(
        reverse("authorizations:pro-create"),
        {
            "designation": designation,
            "license_jurisdiction": "MA",
            "license_number": "" if designation == "unenrolled" else "CPA-10042",
            **PRO_ADDRESS,
            "accept_rules": "on",
        },
    )
    assert answer["Location"] == reverse("authorizations:pro-home")
    browser.get(answer["Location"])  # reads the "profile is ready" message
    return Professional.objects.get(user__subject=f"sub-{key}")


@pytest.fixture
def taylor(sign_in, population, personas) -> Client:
    browser = Client()
    become_professional(browser, sign_in, population, "taylor")
    return browser


@pytest.fixture
def alex(sign_in, population, personas) -> Client:
    browser = Client()
    with_profile(sign_in, population, personas, "alex", on=browser)
    return browser


def send(
    browser: Client,
    population,
    personas,
    key="alex",
    *,
    kind="poa",
    matters=("income_tax",),
    years=(2023, 2024),
    **changes,
):
    data = {
        "kind": kind,
        **client_fields(population, personas, key),
        "matters": list(matters),
        "first_year": str(years[0]),
        "last_year": str(years[-1]),
        **changes,
    }
    return browser.post(reverse("authorizations:request-new"), data)


def sign(browser: Client, authorization: Authorization, *, keep: bool = False):
    data = {"approve": "", "sign": "on"}
    if keep:
        data["keep_earlier"] = "on"
    return browser.post(reverse("authorizations:decide", args=[authorization.public_id]), data)


def year_url(authorization: Authorization, year: int, matter: str = "income_tax") -> str:
    return reverse("authorizations:client-year", args=[authorization.public_id, matter, year])


def told(browser: Client, response) -> tuple[list[str], str]:
    """What the sender reads after sending: the messages and the page they land on."""
    page = browser.get(response["Location"])
    return [str(message) for message in page.context["messages"]], page.content.decode()


def covered(authorization: Authorization) -> set[tuple[str, int]]:
    authorization.refresh_from_db()
    if authorization.status != AuthorizationStatus.ACTIVE:
        return set()
    return {(line.matter, line.year) for line in authorization.lines.filter(replaced_by__isnull=True)}


# --- the professional profile ---


def test_a_professional_creates_a_profile_and_gets_a_caf_number(client, sign_in, population, personas):
    sign_in(identity_of(person(population, "taylor"), "sub-taylor"))
    assert client.get(reverse("authorizations:pro-home"))["Location"] == reverse("authorizations:pro-create")
    refused = client.post(
        reverse("authorizations:pro-create"), {"designation": "cpa", **PRO_ADDRESS, "accept_rules": "on"}
    )
    assert b"Enter your bar, license or enrollment number." in refused.content
    assert b"Choose the state that licensed you." in refused.content
    assert not Professional.objects.exists()

    professional = become_professional(client, sign_in, population, "taylor")
    assert re.fullmatch(r"\d{4}-\d{5}R", professional.number)
    assert professional.name == "Taylor Brooks"  # from the verified identity, not typed
    assert professional.may_represent
    assert AuditEvent.objects.filter(tag="federal:professional:created").count() == 1
    home = client.get(reverse("authorizations:pro-home"))
    assert professional.number.encode() in home.content
    assert client.get(reverse("authorizations:pro-create"))["Location"] == reverse("authorizations:pro-home")


def test_the_professional_pages_need_no_taxpayer_profile_but_the_taxpayer_pages_do(taylor):
    assert taylor.get(reverse("authorizations:pro-home")).status_code == 200
    assert taylor.get(reverse("authorizations:index"))["Location"] == reverse("profile:create")


# --- a power of attorney from taylor to alex ---


def test_alex_signs_and_taylor_sees_only_the_authorized_years(taylor, alex, population, personas):
    answer = send(taylor, population, personas)
    authorization = Authorization.objects.get()
    assert answer["Location"] == reverse("authorizations:request-detail", args=[authorization.public_id])
    assert authorization.taxpayer == personas["alex"]
    assert taylor.get(year_url(authorization, 2024)).status_code == 404  # nothing before the signature
    assert b"Waiting for the taxpayer" in taylor.get(answer["Location"]).content

    page = alex.get(reverse("authorizations:index")).content.decode()
    assert "Taylor Brooks" in page
    assert "Form 1040 income tax: 2023\N{EN DASH}2024" in page
    unsigned = alex.post(reverse("authorizations:decide", args=[authorization.public_id]), {"approve": ""})
    assert b"Check the box to sign, or reject the request." in unsigned.content
    assert covered(authorization) == set()

    before = timezone.now()
    sign(alex, authorization)
    assert covered(authorization) == {("income_tax", 2023), ("income_tax", 2024)}
    assert authorization.decided_at >= before
    assert authorization.signed_by.subject == "sub-alex"
    assert "Taylor Brooks" in authorization.signature
    assert "represent me" in authorization.signature
    event = AuditEvent.objects.get(tag="federal:authorization:approved")
    assert event.subject == f"authorization:{authorization.pk}"
    assert event.extra["signed_at"]

    year = taylor.get(year_url(authorization, 2024))
    assert year.status_code == 200
    assert year.context["account"].period.end.year == 2024
    assert b"150" in year.content  # the return's assessment on the activity
    assert AuditEvent.objects.filter(tag="federal:authorization:account_viewed").count() == 1
    detail = taylor.get(reverse("authorizations:request-detail", args=[authorization.public_id])).content.decode()
    assert year_url(authorization, 2023) in detail
    assert year_url(authorization, 2022) not in detail
    assert taylor.get(year_url(authorization, 2022)).status_code == 404
    assert taylor.get(year_url(authorization, 2024, "srp")).status_code == 404
    assert taylor.get(year_url(authorization, 2024, "nonsense")).status_code == 404
    home = taylor.get(reverse("authorizations:pro-home")).content.decode()
    assert "Your clients" in home
    assert "Alex Rivera" in home


def test_taylor_downloads_the_account_transcript_of_an_authorized_year_only(taylor, alex, population, personas):
    send(taylor, population, personas)
    authorization = Authorization.objects.get()
    transcript = reverse("authorizations:client-transcript", args=[authorization.public_id, 2024])
    assert taylor.get(transcript).status_code == 404
    sign(alex, authorization)
    assert transcript.encode() in taylor.get(year_url(authorization, 2024)).content
    pdf = taylor.get(transcript)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(tag="federal:authorization:transcript_released")
    assert event.extra == {"year": 2024, "kind": "account"}
    assert (
        taylor.get(reverse("authorizations:client-transcript", args=[authorization.public_id, 2022])).status_code == 404
    )


def test_another_clients_authorization_is_a_404(taylor, alex, sign_in, population, personas):
    jordan = Client()
    become_professional(jordan, sign_in, population, "jordan")
    send(jordan, population, personas, "pat")
    pats = Authorization.objects.get()
    pat = Client()
    with_profile(sign_in, population, personas, "pat", on=pat)
    sign(pat, pats)
    assert covered(pats)
    for url in (
        year_url(pats, 2023),
        reverse("authorizations:request-detail", args=[pats.public_id]),
        reverse("authorizations:request-withdraw", args=[pats.public_id]),
    ):
        assert taylor.get(url).status_code == 404
    assert alex.get(reverse("authorizations:decide", args=[pats.public_id])).status_code == 404
    assert sign(alex, pats).status_code == 404
    assert alex.post(reverse("authorizations:revoke", args=[pats.public_id])).status_code == 404
    assert covered(pats)


def test_alex_rejects_and_taylor_sees_nothing(taylor, alex, population, personas):
    send(taylor, population, personas)
    authorization = Authorization.objects.get()
    alex.post(reverse("authorizations:decide", args=[authorization.public_id]), {"reject": ""})
    authorization.refresh_from_db()
    assert authorization.status == AuthorizationStatus.REJECTED
    assert authorization.signature == ""
    assert taylor.get(year_url(authorization, 2024)).status_code == 404
    assert sign(alex, authorization)["Location"] == reverse("authorizations:index")  # too late to sign
    assert covered(authorization) == set()
    assert AuditEvent.objects.filter(tag="federal:authorization:rejected").count() == 1


def test_alex_revokes(taylor, alex, population, personas):
    send(taylor, population, personas)
    authorization = Authorization.objects.get()
    sign(alex, authorization)
    assert alex.get(reverse("authorizations:revoke", args=[authorization.public_id])).status_code == 200
    alex.post(reverse("authorizations:revoke", args=[authorization.public_id]))
    authorization.refresh_from_db()
    assert authorization.status == AuthorizationStatus.REVOKED
    assert taylor.get(year_url(authorization, 2024)).status_code == 404
    assert b"Revoked by the taxpayer" in alex.get(reverse("authorizations:index")).content


def test_taylor_withdraws_a_request_and_an_authorization(taylor, alex, population, personas):
    send(taylor, population, personas)
    send(taylor, population, personas, kind="tia")
    pending, active = Authorization.objects.order_by("pk")
    sign(alex, active)
    for authorization in (pending, active):
        taylor.post(reverse("authorizations:request-withdraw", args=[authorization.public_id]))
        authorization.refresh_from_db()
        assert authorization.status == AuthorizationStatus.WITHDRAWN
    assert taylor.get(year_url(active, 2024)).status_code == 404
    assert alex.get(reverse("authorizations:decide", args=[pending.public_id])).context["is_pending"] is False
    assert not alex.get(reverse("authorizations:index")).context["active"]
    assert AuditEvent.objects.filter(tag="federal:authorization:withdrawn").count() == 2


# --- newer authorizations replace older ones for the same matters and years ---


def test_a_newer_authorization_replaces_the_earlier_for_the_same_matters_and_years(
    taylor, alex, sign_in, population, personas
):
    jordan = Client()
    become_professional(jordan, sign_in, population, "jordan")
    send(taylor, population, personas, kind="tia", matters=("income_tax", "civil_penalty"), years=(2021, 2023))
    first = Authorization.objects.get()
    sign(alex, first)

    send(jordan, population, personas, kind="poa", years=(2021, 2023))
    other_kind = Authorization.objects.latest("pk")
    sign(alex, other_kind)
    assert len(covered(first)) == 6  # a power of attorney leaves tax information authorizations alone

    send(jordan, population, personas, kind="tia", years=(2023, 2024))
    newer = Authorization.objects.latest("pk")
    warning = alex.get(reverse("authorizations:decide", args=[newer.public_id]))
    assert [row["authorization"] for row in warning.context["overlapping"]] == [first]
    sign(alex, newer)
    assert covered(first) == {
        ("income_tax", 2021),
        ("income_tax", 2022),
        ("civil_penalty", 2021),
        ("civil_penalty", 2022),
        ("civil_penalty", 2023),
    }
    assert taylor.get(year_url(first, 2023)).status_code == 404
    assert taylor.get(year_url(first, 2022)).status_code == 200
    replaced = AuditEvent.objects.get(tag="federal:authorization:replaced")
    assert replaced.extra == {"by": newer.pk, "lines": 1, "whole": False}

    send(jordan, population, personas, kind="tia", years=(2021, 2022))
    kept = Authorization.objects.latest("pk")
    sign(alex, kept, keep=True)
    assert len(covered(first)) == 5
    assert covered(kept) == {("income_tax", 2021), ("income_tax", 2022)}

    send(jordan, population, personas, kind="tia", matters=("income_tax", "civil_penalty"), years=(2020, 2024))
    sign(alex, Authorization.objects.latest("pk"))
    first.refresh_from_db()
    assert first.status == AuthorizationStatus.REPLACED
    assert covered(kept) == set()
    assert not alex.get(reverse("authorizations:index")).context["active"][2:]


# --- who may ask for what ---


def test_anyone_may_ask_for_tax_information_but_a_power_of_attorney_needs_a_designation(
    sign_in, population, personas, alex
):
    preparer = Client()
    professional = become_professional(preparer, sign_in, population, "taylor", designation="unenrolled")
    assert professional.license_number == ""
    assert not professional.may_represent
    refused = send(preparer, population, personas, kind="poa")
    assert b"can ask for a power of attorney" in refused.content
    assert not Authorization.objects.exists()
    send(preparer, population, personas, kind="tia")
    assert Authorization.objects.get().kind == "tia"


def test_the_years_follow_the_dated_rule(taylor, population, personas):
    form = taylor.get(reverse("authorizations:request-new")).context["form"]
    years = [value for value, _label in form.fields["first_year"].choices if value]
    assert years == list(range(THIS_YEAR - 20, THIS_YEAR + 4))
    for problem, answer in (
        (b"Select a valid choice", send(taylor, population, personas, years=(THIS_YEAR - 21, THIS_YEAR))),
        (b"Select a valid choice", send(taylor, population, personas, years=(THIS_YEAR, THIS_YEAR + 4))),
        (b"cannot come before the first", send(taylor, population, personas, years=(2024, 2023))),
        (b"2014 or later", send(taylor, population, personas, matters=("srp",), years=(2013, 2015))),
    ):
        assert problem in answer.content
    assert not Authorization.objects.exists()


def test_a_request_that_matches_nobody_reads_the_same_and_nobody_sees_it(taylor, alex, population, personas):
    matched_messages, matched_page = told(taylor, send(taylor, population, personas))
    assert "Request sent." in matched_messages[0]
    for changes in (
        {"address_line1": "1 Other Street"},
        {"last_name": "Rivers"},
        {"tin": "900-70-0001"},  # an ITIN on file for nobody
        {"postal_code": "02781"},
    ):
        unmatched = send(taylor, population, personas, **changes)
        authorization = Authorization.objects.latest("pk")
        assert unmatched["Location"] == reverse("authorizations:request-detail", args=[authorization.public_id])
        assert authorization.taxpayer is None
        messages, page = told(taylor, unmatched)
        assert messages == matched_messages
        assert _without_details(page) == _without_details(matched_page)
    pending = alex.get(reverse("authorizations:index")).context["pending"]
    assert [row["authorization"].taxpayer_id for row in pending] == [personas["alex"].pk]
    assert Authorization.objects.filter(taxpayer__isnull=True).count() == 4


def _without_details(page: str) -> str:
    """A request's page less what differs between any two requests: the name typed, the last
    four digits, the link to it, and the per-response token and nonce."""
    page = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", page)
    page = re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]+', "", page)
    return re.sub(r"Alex River[as]|XXX-XX-\d{4}", "", page)


def test_sending_is_rate_limited(taylor, population, personas, settings):
    settings.TAXGOV_RATE_LIMITS = {**settings.TAXGOV_RATE_LIMITS, "federal.authorizations.send": "1/hour"}
    send(taylor, population, personas)
    refused = send(taylor, population, personas)
    assert refused.status_code == 429
    assert b"too many requests" in refused.content
    assert Authorization.objects.count() == 1
    assert AuditEvent.objects.filter(tag="federal:authorization:rate_limited").count() == 1


def test_client_details_are_encrypted_and_never_audited(taylor, population, personas):
    send(taylor, population, personas)
    tin = person(population, "alex").tin
    with connection.cursor() as cursor:
        cursor.execute("SELECT client_name, client_tin FROM federal_authorizations_authorization")
        stored = " ".join(cursor.fetchone())
        cursor.execute("SELECT name, address_line1 FROM federal_authorizations_professional")
        stored += " ".join(cursor.fetchone())
    for secret in (tin, "Alex", "Rivera", "Taylor", "Main Street"):
        assert secret not in stored
    for event in AuditEvent.objects.all():
        assert tin not in str(event.extra)
        assert "Rivera" not in str(event.extra)


# --- income verification ---


@pytest.fixture
def lender(sign_in, population, personas) -> Client:
    browser = Client()
    sign_in(identity_of(person(population, "chris"), "sub-lender"), on=browser)
    answer = browser.post(
        reverse("authorizations:participant-create"),
        {"organization": "Harbor Mortgage Co.", **PRO_ADDRESS, "accept_rules": "on"},
    )
    assert answer["Location"] == reverse("authorizations:pro-home")
    browser.get(answer["Location"])
    return browser


def ask_for_transcripts(browser: Client, population, personas, key="alex", **changes):
    data = {**client_fields(population, personas, key), "tax_years": [str(LAST_YEAR)], **changes}
    return browser.post(reverse("authorizations:verification-new"), data)


def test_income_verification_is_approved_and_released_for_120_days(lender, alex, population, personas):
    participant = Professional.objects.get(user__subject="sub-lender")
    assert participant.number.startswith("IV")
    assert lender.get(reverse("authorizations:request-new")).status_code == 404  # not a tax professional
    answer = ask_for_transcripts(lender, population, personas, customer_file_number="4411")
    verification = IncomeVerification.objects.get()
    assert answer["Location"] == reverse("authorizations:verification-detail", args=[verification.public_id])
    assert verification.taxpayer == personas["alex"]
    assert not lender.get(answer["Location"]).context["available"]

    index = alex.get(reverse("authorizations:index")).content.decode()
    assert "Harbor Mortgage Co." in index
    alex.post(
        reverse("authorizations:verification-decide", args=[verification.public_id]), {"approve": "", "sign": "on"}
    )
    verification.refresh_from_db()
    assert verification.status == VerificationStatus.APPROVED
    assert verification.available_until == timezone.localdate() + dt.timedelta(days=120)
    assert "Harbor Mortgage Co." in verification.signature
    detail = lender.get(answer["Location"])
    assert detail.context["available"]
    assert AuditEvent.objects.filter(tag="federal:income_verification:approved").count() == 1

    download = reverse("authorizations:verification-transcript", args=[verification.public_id, LAST_YEAR])
    assert download.encode() in detail.content
    for _twice in range(2):
        pdf = lender.get(download)
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
    released = AuditEvent.objects.filter(tag="federal:income_verification:released")
    assert [event.extra for event in released] == [{"year": LAST_YEAR}, {"year": LAST_YEAR}]
    other_year = reverse("authorizations:verification-transcript", args=[verification.public_id, LAST_YEAR - 1])
    assert lender.get(other_year).status_code == 404
    assert alex.get(download)["Location"] == reverse("authorizations:pro-create")  # no participant

    IncomeVerification.objects.filter(pk=verification.pk).update(
        available_until=timezone.localdate() - dt.timedelta(days=1)
    )
    assert lender.get(download).status_code == 404
    assert lender.get(answer["Location"]).context["expired"]
    assert released.count() == 2


def test_income_verification_rejected_or_unmatched_releases_nothing(lender, alex, population, personas):
    asked = ({}, {}, {"first_name": "Alexander"})
    said = [told(lender, ask_for_transcripts(lender, population, personas, **changes))[0] for changes in asked]
    assert said[0] == said[2]
    first, _same, unmatched = IncomeVerification.objects.order_by("pk")
    assert unmatched.taxpayer is None
    assert len(alex.get(reverse("authorizations:index")).context["verifications"]) == 2
    alex.post(reverse("authorizations:verification-decide", args=[first.public_id]), {"reject": ""})
    first.refresh_from_db()
    assert first.status == VerificationStatus.REJECTED
    assert not lender.get(reverse("authorizations:verification-detail", args=[first.public_id])).context["available"]
    assert alex.get(reverse("authorizations:verification-decide", args=[unmatched.public_id])).status_code == 404


def test_only_return_transcript_years_can_be_asked_for(lender, population, personas):
    answer = ask_for_transcripts(lender, population, personas, tax_years=[str(THIS_YEAR)])
    assert b"Select a valid choice" in answer.content
    tin = person(population, "alex").tin.replace("-", "")
    answer = ask_for_transcripts(lender, population, personas, customer_file_number=tin)
    assert b"cannot have 9 digits" in answer.content
    assert not IncomeVerification.objects.exists()

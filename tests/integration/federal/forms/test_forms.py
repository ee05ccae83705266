"""Forms submitted online: Form 4547 from the first page to its acceptance, answers refused
with nothing changed, one election per child, processing that moves each status once, one
submission per draft whatever happens, nobody else's submissions, and a second form declared
only here that the engine runs unchanged."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from taxgov.common.audit.models import AuditEvent
from taxgov.federal.accounts.models import User
from taxgov.federal.forms import actions, catalog, engine, queries
from taxgov.federal.forms.catalog.form_4547 import FORM_4547, pilot_contribution, pilot_years
from taxgov.federal.forms.declarations import Field, Kind, OnlineForm, Rule, RuleContext, Section
from taxgov.federal.forms.models import Draft, StatusChange, Submission, SubmissionStatus, UniqueAnswer
from taxgov.ledger.agencies import current_rules
from tests.integration.federal.test_account import with_profile

pytestmark = pytest.mark.django_db

CHILD = {
    "first_name": "Riley",
    "last_name": "Rivera",
    "ssn": "401-23-4567",
    "date_of_birth": "03/14/2025",
    "relationship": "parent",
    "ssn_valid_for_work": "yes",
    "first_election": "yes",
    "pilot_contribution": "on",
    "us_citizen": "yes",
}
SECOND_CHILD = {
    **CHILD,
    "first_name": "Sky",
    "ssn": "402-34-5678",
    "date_of_birth": "06/01/2019",
    "relationship": "guardian",
    "pilot_contribution": "",
    "us_citizen": "",
}


@pytest.fixture
def alex(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "alex", on=client)
    return personas["alex"]


@pytest.fixture
def pat(sign_in, population, personas):
    browser = Client()
    with_profile(sign_in, population, personas, "pat", on=browser)
    return browser


def step(key: str, code: str = "4547") -> str:
    return reverse("forms:step", kwargs={"code": code, "step": key})


def fill(client: Client, first: dict[str, str] | None = None, second: dict[str, str] | None = None) -> None:
    assert client.post(step("children-1"), first or CHILD)["Location"] == step("children-2")
    assert client.post(step("children-2"), second or {})["Location"] == step("review")


def sign(client: Client, code: str = "4547"):
    key = client.get(step("review", code)).context["form"]["idempotency_key"].value()
    return client.post(step("review", code), {"idempotency_key": key, "sign": "on"})


def statuses(submission: Submission) -> list[str]:
    return list(submission.history.values_list("status", flat=True))


# --- Form 4547 from start to acceptance ---


def test_alex_elects_for_two_children_and_follows_the_status(client, alex, caplog):
    caplog.set_level(logging.DEBUG)
    index = client.get(reverse("forms:index"))
    assert b"Form 4547, Trump Account Election(s)" in index.content
    assert client.get(reverse("forms:start", args=["4547"]))["Location"] == step("children-1")
    first_page = client.get(step("children-1"))
    assert f"under 18 at the end of {timezone.localdate().year}".encode() in first_page.content
    assert b"$1,000" in first_page.content

    assert client.post(step("children-1"), CHILD)["Location"] == step("children-2")
    again = client.get(step("children-1"))
    assert b"XXX-XX-4567" in again.content
    assert b"401-23-4567" not in again.content
    client.post(step("children-1"), {**CHILD, "ssn": "XXX-XX-4567"})  # the mask sent back keeps the number
    assert client.post(step("children-2"), SECOND_CHILD)["Location"] == step("review")
    review = client.get(step("review"))
    assert b"XXX-XX-4567" in review.content
    assert b"XXX-XX-5678" in review.content
    assert b"401-23-4567" not in review.content

    answer = sign(client)
    submission = Submission.objects.get()
    assert answer["Location"] == reverse("forms:detail", args=[submission.public_id])
    assert submission.status == SubmissionStatus.SUBMITTED
    assert len(submission.confirmation_number) == 14
    assert submission.filed_on == timezone.localdate()
    assert "penalties of perjury" in submission.statement
    assert not Draft.objects.exists()
    assert UniqueAnswer.objects.filter(submission=submission, held=True).count() == 2
    page = client.get(answer["Location"])
    assert submission.confirmation_number.encode() in page.content
    assert b"XXX-XX-4567" in page.content
    assert AuditEvent.objects.filter(tag="federal:form:submitted", subject=f"form_submission:{submission.pk}").exists()

    call_command("process_forms")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert statuses(submission) == ["submitted", "received", "accepted"]
    assert b"We accepted this form." in client.get(answer["Location"]).content
    assert b"Accepted" in client.get(reverse("forms:index")).content

    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM federal_forms_submission")
        (stored,) = cursor.fetchone()
    assert "401234567" not in stored
    assert "Riley" not in stored
    assert "401234567" not in caplog.text
    assert "401-23-4567" not in caplog.text
    events = AuditEvent.objects.filter(tag__startswith="federal:form:")
    assert all("401234567" not in str(event.extra) for event in events)


def test_the_second_page_may_be_left_blank(client, alex):
    fill(client)
    assert b"Left blank." in client.get(step("review")).content
    sign(client)
    call_command("process_forms")
    assert Submission.objects.get().status == SubmissionStatus.ACCEPTED


def test_a_second_child_can_be_taken_off_the_form(client, alex):
    fill(client, second=SECOND_CHILD)
    assert b"Leave this page blank" in client.get(step("children-2")).content
    assert client.post(step("children-2"), {"leave-blank": "1"})["Location"] == step("review")
    review = client.get(step("review"))
    assert b"Left blank." in review.content
    assert b"Sky" not in review.content


def test_a_page_cannot_be_skipped(client, alex):
    assert client.get(step("review"))["Location"] == step("children-1")
    client.post(step("children-1"), CHILD)
    assert client.get(step("review"))["Location"] == step("children-2")


# --- bad answers change nothing ---


TOMORROW = (timezone.localdate() + dt.timedelta(days=1)).strftime("%m/%d/%Y")


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"ssn": "900-12-3456"}, "An ITIN or ATIN cannot be used"),
        ({"ssn": "1234"}, "Enter a 9-digit Social Security number"),
        ({"first_name": ""}, "This field is required."),
        ({"date_of_birth": "13/45/2025"}, "Enter a valid date."),
        ({"date_of_birth": TOMORROW}, "cannot be after the day the form is signed"),
        ({"date_of_birth": "01/01/2000", "pilot_contribution": ""}, "The child must be under 18 at the end of"),
        ({"relationship": "friend"}, "Select a valid choice."),
        ({"ssn_valid_for_work": "no"}, "whose Social Security number is valid for work"),
        ({"first_election": "no"}, "one was made for this child already"),
        ({"date_of_birth": "01/01/2020"}, "only for a child born from"),
        ({"us_citizen": "no"}, "only for a child who is a U.S. citizen"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(client, alex, changes, problem):
    answer = client.post(step("children-1"), {**CHILD, **changes})
    assert answer.status_code == 200
    assert problem.encode() in answer.content
    assert b"There is a problem" in answer.content
    assert not Draft.objects.exists()


def test_a_refused_change_keeps_the_saved_answers(client, alex):
    client.post(step("children-1"), CHILD)
    saved = Draft.objects.get().answers
    client.post(step("children-1"), {**CHILD, "first_name": "Changed", "ssn": "1234"})
    assert Draft.objects.get().answers == saved


def test_a_half_filled_second_page_is_checked(client, alex):
    client.post(step("children-1"), CHILD)
    answer = client.post(step("children-2"), {"first_name": "Sky"})
    assert answer.status_code == 200
    assert b"This field is required." in answer.content
    assert client.get(step("review"))["Location"] == step("children-2")


def test_the_signature_is_required(client, alex):
    fill(client)
    key = client.get(step("review")).context["form"]["idempotency_key"].value()
    answer = client.post(step("review"), {"idempotency_key": key})
    assert b"Check the box to sign the form." in answer.content
    assert not Submission.objects.exists()
    assert Draft.objects.exists()


def test_the_rules_are_checked_again_at_submit(client, alex):
    """A draft finished in one year and signed in the next: the child has turned 18 by then."""
    seventeen = f"01/01/{timezone.localdate().year - 17}"
    fill(client, {**CHILD, "date_of_birth": seventeen, "pilot_contribution": ""})
    key = client.get(step("review")).context["form"]["idempotency_key"].value()
    next_year = dt.date(timezone.localdate().year + 1, 1, 2)
    with mock.patch("django.utils.timezone.localdate", return_value=next_year):
        answer = client.post(step("review"), {"idempotency_key": key, "sign": "on"})
    assert answer["Location"] == step("children-1")
    assert not Submission.objects.exists()
    assert b"Child 1: The child must be under 18 at the end of" in client.get(answer["Location"]).content


def test_a_draft_can_be_deleted(client, alex):
    client.post(step("children-1"), CHILD)
    assert client.get(reverse("forms:cancel", args=["4547"])).status_code == 200
    assert client.post(reverse("forms:cancel", args=["4547"]))["Location"] == reverse("forms:index")
    assert not Draft.objects.exists()
    assert AuditEvent.objects.filter(tag="federal:form:draft_discarded").count() == 1


# --- one election per child ---


def test_the_same_child_twice_on_one_form_is_refused(client, alex):
    client.post(step("children-1"), CHILD)
    answer = client.post(step("children-2"), {**SECOND_CHILD, "ssn": CHILD["ssn"]})
    assert b"You gave the same answer on the page Child 1 of this form." in answer.content
    assert client.get(step("review"))["Location"] == step("children-2")


def test_a_second_election_for_the_same_child_is_refused(client, alex):
    fill(client)
    sign(client)
    number = Submission.objects.get().confirmation_number
    answer = client.post(step("children-1"), {**CHILD, "first_name": "Riley Jr"})
    assert b"A Trump account election was already made for this child." in answer.content
    assert number.encode() in answer.content
    assert not Draft.objects.exists()
    assert Submission.objects.count() == 1


def test_someone_elses_election_for_the_same_child_is_rejected_when_processed(client, alex, pat):
    fill(client)
    sign(client)
    fill(pat)  # nothing on the page says someone else elected for this child
    sign(pat)
    call_command("process_forms")
    alexs, pats = Submission.objects.order_by("pk")
    assert (alexs.status, pats.status) == (SubmissionStatus.ACCEPTED, SubmissionStatus.REJECTED)
    rejection = pats.history.get(status=SubmissionStatus.REJECTED)
    assert rejection.reasons == [{"code": "duplicate:children.ssn", "part": "children-1"}]
    page = pat.get(reverse("forms:detail", args=[pats.public_id]))
    assert b"Child 1: A Trump account election was already made for this child." in page.content
    assert list(UniqueAnswer.objects.filter(held=True).values_list("submission", flat=True)) == [alexs.pk]
    event = AuditEvent.objects.get(tag="federal:form:rejected")
    assert event.extra == {"form": "4547", "reasons": ["duplicate:children.ssn"]}


def test_processing_rejects_by_the_declared_rules_and_lets_go_of_the_child(client, alex):
    """An answer the pages would refuse (a child who is 18 by the end of the year) still gets
    a decision: processing checks every declared rule again."""
    signer = User.objects.get(subject="sub-alex")
    too_old = {
        "first_name": "Riley",
        "last_name": "Rivera",
        "ssn": "401234567",
        "date_of_birth": dt.date(2000, 1, 1),
        "relationship": "parent",
        "ssn_valid_for_work": True,
        "first_election": True,
        "pilot_contribution": False,
        "us_citizen": None,
    }
    draft = Draft(taxpayer=alex, form_code="4547", started_by=signer)
    draft = actions.do_save_answers(draft, FORM_4547, "children-1", too_old)
    draft = actions.do_save_answers(draft, FORM_4547, "children-2", None)
    submission = actions.do_submit_form(draft, FORM_4547, user=signer, today=timezone.localdate())
    result = actions.do_process_submissions()
    assert (result.received, result.accepted, result.rejected) == (1, 0, 1)
    assert submission.history.get(status=SubmissionStatus.REJECTED).reasons == [
        {"code": "child-age", "part": "children-1"}
    ]
    assert not UniqueAnswer.objects.filter(held=True).exists()
    assert b"The child must be under 18" in client.get(reverse("forms:detail", args=[submission.public_id])).content
    # The rejected election holds the child no longer: a corrected one can be made.
    assert client.post(step("children-1"), CHILD)["Location"] == step("children-2")


def test_a_reason_the_declaration_no_longer_has_reads_as_a_general_one():
    context = RuleContext(timezone.localdate())
    assert engine.reason(FORM_4547, "child-age", context).startswith("The child must be under 18")
    assert engine.reason(FORM_4547, "duplicate:children.ssn", context).startswith("A Trump account election")
    assert engine.reason(FORM_4547, "withdrawn-rule", context) == str(engine.UNKNOWN_REASON)


# --- processing and submitting happen once ---


def test_processing_moves_each_status_once(client, alex, capsys):
    fill(client)
    sign(client)
    call_command("process_forms")
    call_command("process_forms")
    assert capsys.readouterr().out.splitlines() == [
        "received 1, accepted 1, rejected 0",
        "received 0, accepted 0, rejected 0",
    ]
    submission = Submission.objects.get()
    assert statuses(submission) == ["submitted", "received", "accepted"]
    assert actions.do_receive_submission(submission.pk, timezone.localdate()) is False
    assert actions.do_decide_submission(submission.pk, timezone.localdate()) is None
    for tag in ("received", "accepted"):
        assert AuditEvent.objects.filter(tag=f"federal:form:{tag}").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(
            submission=submission, status="received", changed_at=timezone.now(), changed_on=timezone.localdate()
        )


def test_receiving_and_deciding_are_dated_by_the_processing_day(client, alex):
    fill(client)
    sign(client)
    later = timezone.localdate() + dt.timedelta(days=3)
    actions.do_process_submissions(later)
    assert set(StatusChange.objects.exclude(status="submitted").values_list("changed_on", flat=True)) == {later}


def test_a_double_submit_makes_one_submission(client, alex):
    fill(client)
    key = client.get(step("review")).context["form"]["idempotency_key"].value()
    first = client.post(step("review"), {"idempotency_key": key, "sign": "on"})
    again = client.post(step("review"), {"idempotency_key": key, "sign": "on"})
    assert first["Location"] == again["Location"]
    assert Submission.objects.count() == 1
    assert AuditEvent.objects.filter(tag="federal:form:submitted").count() == 1


def test_submitting_the_same_draft_twice_returns_the_first_submission(client, alex):
    fill(client)
    draft = Draft.objects.get()
    made = actions.do_submit_form(draft, FORM_4547, user=draft.started_by, today=timezone.localdate())
    assert actions.do_submit_form(draft, FORM_4547, user=draft.started_by, today=timezone.localdate()) == made
    assert Submission.objects.count() == 1


def test_someone_elses_submission_is_a_404(client, alex, pat):
    fill(client)
    sign(client)
    submission = Submission.objects.get()
    assert pat.get(reverse("forms:detail", args=[submission.public_id])).status_code == 404
    key = submission.idempotency_key
    assert pat.post(step("review"), {"idempotency_key": key, "sign": "on"})["Location"] == step("children-1")


# --- dated rules ---


def test_form_4547_is_offered_online_from_the_middle_of_2026(alex):
    assert queries.offered_forms(alex, dt.date(2026, 6, 30)) == []
    assert queries.offered_forms(alex, dt.date(2026, 7, 1)) == [FORM_4547]
    assert queries.offered_forms(alex, dt.date(2025, 1, 1)) == []


def test_the_pilot_program_covers_children_born_2025_to_2028():
    rules = current_rules()
    assert pilot_years(rules) == (dt.date(2025, 1, 1), dt.date(2028, 12, 31), Decimal(1000))
    assert pilot_contribution(rules, dt.date(2024, 12, 31)) == 0
    assert pilot_contribution(rules, dt.date(2025, 1, 1)) == 1000
    assert pilot_contribution(rules, dt.date(2028, 12, 31)) == 1000
    assert pilot_contribution(rules, dt.date(2029, 1, 1)) == 0
    assert pilot_contribution(rules, dt.date(1850, 1, 1)) == 0


# --- a second form, declared only here ---


def _not_red(item, context) -> bool:
    return bool(item["colour"] != "red")


COLOUR_FORM = OnlineForm(
    code="t1",
    title="Form T1, Favourite Colour",
    summary="A test form.",
    sections=(
        Section(
            key="colour",
            label="Colour",
            fields=(
                Field("colour", "Favourite colour", Kind.CHOICE, choices=(("red", "Red"), ("blue", "Blue"))),
                Field("why", "Why", required=False, max_length=20),
            ),
            rules=(Rule("red", "colour", "Red is not allowed.", _not_red),),
        ),
    ),
    offered=lambda day: True,
)
BUSINESS_FORM = OnlineForm(
    code="t2", title="Form T2", summary="For businesses.", sections=COLOUR_FORM.sections,
    offered=lambda day: True, filers=frozenset({"business"}),
)  # fmt: skip


@pytest.fixture
def test_forms():
    catalog.FORMS.update({form.code: form for form in (COLOUR_FORM, BUSINESS_FORM)})
    yield
    for form in (COLOUR_FORM, BUSINESS_FORM):
        del catalog.FORMS[form.code]


def test_a_form_declared_only_here_works_with_no_engine_change(client, alex, test_forms):
    assert b"Form T1, Favourite Colour" in client.get(reverse("forms:index")).content
    assert client.get(reverse("forms:start", args=["t1"]))["Location"] == step("colour", "t1")
    refused = client.post(step("colour", "t1"), {"colour": "red"})
    assert b"Red is not allowed." in refused.content
    assert client.post(step("colour", "t1"), {"colour": "blue", "why": "sky"})["Location"] == step("review", "t1")
    assert b"Blue" in client.get(step("review", "t1")).content
    answer = sign(client, "t1")
    submission = Submission.objects.get(form_code="t1")
    assert answer["Location"] == reverse("forms:detail", args=[submission.public_id])
    actions.do_process_submissions()
    submission.refresh_from_db()
    assert statuses(submission) == ["submitted", "received", "accepted"]
    assert b"Form T1, Favourite Colour" in client.get(answer["Location"]).content


def test_a_form_is_only_for_its_filers(client, alex, test_forms):
    assert b"Form T2" not in client.get(reverse("forms:index")).content
    assert client.get(reverse("forms:start", args=["t2"])).status_code == 404
    assert client.get(reverse("forms:start", args=["nope"])).status_code == 404

"""Notices: the list with what is unread (with the plan job's CP523), opening marks read and
"mark as unread" undoes it, the PDF read back, paperless and email preferences (which a
Designated User of a business only sees), the daily announcement (once per notice), and
another person's notice is a 404."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from taxgov.common.audit.models import AuditEvent
from taxgov.federal.business.models import BusinessRole, RoleKind
from taxgov.federal.notices.actions import do_announce_new_notices
from taxgov.federal.notices.content import copy_of
from taxgov.federal.notices.models import NoticeDelivery, NoticePreferences, NoticeReading
from taxgov.federal.notices.queries import needs_paper, online_kinds, respond_by
from taxgov.federal.notices.wording import WORDING
from taxgov.federal.plans.actions import do_run_payment_plans
from taxgov.federal.plans.models import PaymentPlan
from taxgov.federal.profile.models import Profile
from taxgov.ledger.actions import do_issue_notice
from taxgov.ledger.identifiers import tin_fingerprint
from taxgov.ledger.models import Notice, NoticeKind, Taxpayer, TaxpayerKind
from taxgov.ledger.queries import period_payoff
from taxgov.ledger.templatetags.ledger import money
from tests.integration.federal.business.test_business import act_for, official
from tests.integration.federal.conftest import identity_of, person, today
from tests.integration.federal.plans.test_plans import long_term_form, submit_long_term
from tests.integration.federal.test_account import with_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def pat(client, sign_in, population, personas):
    with_profile(sign_in, population, personas, "pat", on=client)
    return personas["pat"]


def notice_of(taxpayer, kind: NoticeKind) -> Notice:
    return Notice.objects.filter(taxpayer=taxpayer, kind=kind).select_related("period").latest("issued_on")


def unread_count(client) -> int:
    page = client.get(reverse("notices:index")).content.decode()
    found = re.search(r"You have (\d+) unread notices?\.", page)
    return int(found.group(1)) if found else 0


def pdf_text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def choose(client, **choices: str):
    return client.post(reverse("notices:preferences"), choices)


# --- the list ---


def test_the_list_is_newest_first_with_the_unread_marked_in_words(client, pat):
    page = client.get(reverse("notices:index")).content.decode()
    assert "<h1>Notices</h1>" in page
    assert "You have 5 unread notices." in page
    codes = re.findall(r'href="/account/notices/\d+/">(\w+):', page)
    assert codes == ["LT11", "CP504", "CP503", "CP501", "CP14"]
    assert page.count('<span class="usa-tag">Unread</span>') == 5
    assert "<caption>Your notices, newest first</caption>" in page


@pytest.mark.parametrize(("key", "count"), [("alex", 3), ("jordan", 6), ("sam", 0)])
def test_each_persona_sees_their_own_notices(client, sign_in, population, personas, key, count):
    with_profile(sign_in, population, personas, key)
    page = client.get(reverse("notices:index")).content.decode()
    assert len(re.findall(r'href="/account/notices/\d+/"', page)) == count
    if not count:
        assert "You have no notices to read online." in page


def test_the_list_reads_a_fixed_number_of_queries(client, pat, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert client.get(reverse("notices:index")).status_code == 200


def test_a_cp523_from_the_plan_job_is_listed(client, pat):
    submit_long_term(client, long_term_form(client, direct_debit=False))
    plan = PaymentPlan.objects.get()
    do_run_payment_plans(plan.first_due_on + dt.timedelta(days=1))
    notice = Notice.objects.get(kind=NoticeKind.INSTALLMENT_TERMINATION)
    page = client.get(reverse("notices:index")).content.decode()
    assert f'href="/account/notices/{notice.pk}/">CP523: Notice of intent to terminate' in page
    assert client.get(reverse("notices:detail", args=[notice.pk])).status_code == 200


def test_a_notice_without_a_digital_copy_is_not_listed_or_opened(client, pat):
    period = notice_of(pat, NoticeKind.BALANCE_DUE).period
    old = do_issue_notice(pat, kind=NoticeKind.BALANCE_DUE, issued_on=dt.date(2021, 6, 1), period=period)
    assert old.kind not in online_kinds(old.issued_on)
    assert f"/account/notices/{old.pk}/" not in client.get(reverse("notices:index")).content.decode()
    assert client.get(reverse("notices:detail", args=[old.pk])).status_code == 404


# --- reading ---


def test_opening_a_notice_marks_it_read_and_it_can_be_marked_unread(client, pat):
    notice = notice_of(pat, NoticeKind.INTENT_TO_LEVY)
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert "<h1>CP504: Notice of intent to levy</h1>" in page
    assert "What you need to do" in page
    assert unread_count(client) == 4
    first = NoticeReading.objects.get(notice=notice).read_at
    client.get(reverse("notices:detail", args=[notice.pk]))
    assert NoticeReading.objects.get(notice=notice).read_at == first

    assert client.get(reverse("notices:mark-unread", args=[notice.pk])).status_code == 405
    answer = client.post(reverse("notices:mark-unread", args=[notice.pk]), follow=True)
    assert answer.redirect_chain[-1][0] == reverse("notices:index")
    assert "CP504 is marked as unread." in answer.content.decode()
    assert unread_count(client) == 5


def test_the_notice_page_shows_the_ledger_amounts_as_of_its_date(client, pat):
    notice = notice_of(pat, NoticeKind.BALANCE_DUE)
    parts = period_payoff(notice.period, notice.issued_on).display()
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    for part in ("tax", "penalties", "interest", "total"):
        assert money(parts[part]) in page
    assert parts["total"] == notice.amount
    due = respond_by(notice)
    assert due == notice.issued_on + dt.timedelta(days=21)
    assert f"Pay {money(parts['total'])} by" in page


# --- the PDF ---


def test_the_pdf_is_the_notice_with_its_code_letter_id_and_amounts(client, pat):
    period = notice_of(pat, NoticeKind.BALANCE_DUE).period
    notice = do_issue_notice(pat, kind=NoticeKind.BALANCE_DUE, issued_on=today(), period=period, with_letter_id=True)
    response = client.get(reverse("notices:download", args=[notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == (
        f'attachment; filename="CP14-{notice.issued_on.isoformat()}-{notice.letter_id}.pdf"'
    )
    text = pdf_text(response)
    assert "CP14: Balance due" in text
    assert "Letter ID" in text
    assert notice.letter_id in text
    parts = period_payoff(period, notice.issued_on).display()
    for part in ("tax", "penalties", "interest", "total"):
        assert money(parts[part]) in text
    assert "What you need to do" in text
    tin = pat.tin
    assert f"XXX-XX-{tin[-4:]}" in text
    assert tin not in text.replace("-", "")
    assert pat.display_name in text


def test_downloading_marks_read_and_is_audited(client, pat):
    notice = notice_of(pat, NoticeKind.FINAL_INTENT_TO_LEVY)
    response = client.get(reverse("notices:download", args=[notice.pk]))
    assert "Form 12153" in pdf_text(response)
    assert NoticeReading.objects.get(notice=notice).read_at is not None
    event = AuditEvent.objects.get(tag="federal:notice:downloaded")
    assert event.subject == f"notice:{notice.pk}"
    assert event.actor.startswith("user:")


# --- another person's notice ---


def test_someone_elses_notice_is_a_404(client, pat, sign_in, population, personas):
    notice = notice_of(pat, NoticeKind.INTENT_TO_LEVY)
    other = Client()
    with_profile(sign_in, population, personas, "alex", on=other)
    assert other.get(reverse("notices:detail", args=[notice.pk])).status_code == 404
    assert other.get(reverse("notices:download", args=[notice.pk])).status_code == 404
    assert other.post(reverse("notices:mark-unread", args=[notice.pk])).status_code == 404
    assert other.get(reverse("notices:detail", args=[10**9])).status_code == 404
    assert not NoticeReading.objects.exists()
    assert not AuditEvent.objects.filter(tag="federal:notice:downloaded").exists()


# --- preferences ---


def test_paperless_and_email_are_saved_and_audited(client, pat, population):
    page = client.get(reverse("notices:preferences")).content.decode()
    assert "<h1>Notice preferences</h1>" in page
    assert "CP14: Balance due" in page
    email = person(population, "pat").email
    assert email in page

    assert choose(client, paperless="on", email="on")["Location"] == reverse("notices:preferences")
    saved = NoticePreferences.objects.get(taxpayer=pat)
    assert saved.paperless_since == today()
    assert saved.email_since == today()
    assert saved.email == email
    event = AuditEvent.objects.get(tag="federal:notice_preferences:changed")
    assert event.extra == {"paperless": True, "email": True, "email_address_changed": True}
    assert email not in str(event.extra)

    choose(client, paperless="on", email="on")
    assert AuditEvent.objects.filter(tag="federal:notice_preferences:changed").count() == 1

    choose(client, paperless="on")
    saved.refresh_from_db()
    assert (saved.paperless_since, saved.email_since, saved.email) == (today(), None, "")
    assert AuditEvent.objects.filter(tag="federal:notice_preferences:changed").count() == 2
    index = client.get(reverse("notices:index")).content.decode()
    assert "Paper copies: stopped for the notices you can read online" in index
    assert "Email: off." in index


def test_a_designated_user_sees_the_preferences_but_cannot_change_them(client, sign_in, population, personas):
    bakery = Taxpayer.objects.get(tin_fingerprint=tin_fingerprint(population.business(0).ein))
    official(with_profile(sign_in, population, personas, "chris", on=client), bakery)
    act_for(client, bakery)
    assert choose(client, paperless="on")["Location"] == reverse("notices:preferences")
    user = Client()
    jordan = with_profile(sign_in, population, personas, "jordan", on=user)
    BusinessRole.objects.create(user=jordan, entity=bakery, role=RoleKind.DESIGNATED_USER)
    act_for(user, bakery)

    page = user.get(reverse("notices:preferences")).content.decode()
    assert "Only a Designated Official can change these preferences." in page
    assert "Paper copies: stopped for the notices you can read online" in page
    assert 'action="/account/notices/preferences/"' not in page
    assert "Save preferences" not in page
    index = user.get(reverse("notices:index")).content.decode()
    assert "Only a Designated Official can change these preferences." in index
    assert "Change notice preferences" not in index

    assert user.post(reverse("notices:preferences"), {"email": "on"}).status_code == 403
    saved = NoticePreferences.objects.get(taxpayer=bakery)
    assert (saved.paperless_since, saved.email_since) == (today(), None)
    assert AuditEvent.objects.filter(tag="federal:notice_preferences:changed").count() == 1


def test_email_needs_an_email_address_from_the_sign_in(client, sign_in, population, personas):
    user = sign_in(identity_of(person(population, "pat"), "sub-pat", email=""))
    Profile.objects.create(user=user, taxpayer=personas["pat"])
    answer = choose(client, email="on")
    assert answer.status_code == 200
    assert "Your sign-in account has no email address." in answer.content.decode()
    assert not NoticePreferences.objects.exists()
    assert not AuditEvent.objects.filter(tag="federal:notice_preferences:changed").exists()


def test_preferences_need_a_post_with_the_csrf_token(pat, sign_in, population, personas):
    strict = Client(enforce_csrf_checks=True)
    with_profile(sign_in, population, personas, "jordan", on=strict)
    assert strict.post(reverse("notices:preferences"), {"paperless": "on"}).status_code == 403
    assert not NoticePreferences.objects.exists()


# --- the announcement ---


def test_the_announcement_emails_once_per_new_notice_and_records_paperless(
    client, pat, population, django_capture_on_commit_callbacks, mailoutbox
):
    choose(client, paperless="on", email="on")
    period = notice_of(pat, NoticeKind.BALANCE_DUE).period
    reminder = do_issue_notice(pat, kind=NoticeKind.REMINDER, issued_on=today(), period=period)
    levy = do_issue_notice(pat, kind=NoticeKind.INTENT_TO_LEVY, issued_on=today(), period=period)
    earlier = notice_of(pat, NoticeKind.BALANCE_DUE)  # issued before the preferences were chosen
    assert needs_paper(reminder) is False  # decided from the preferences until announced

    with django_capture_on_commit_callbacks(execute=True):
        call_command("announce_notices", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        again = do_announce_new_notices(today())
    assert again.announced == 0

    assert len(mailoutbox) == 2
    email = person(population, "pat").email
    for message in mailoutbox:
        assert message.to == [email]
        assert message.subject == "A new notice is ready in your online account"
        assert "Sign in to read it." in message.body
        html = message.alternatives[0][0]
        assert "CP" not in message.body + html
        assert "$" not in message.body + html
    assert NoticeDelivery.objects.count() == 2
    assert needs_paper(reminder) is False
    assert needs_paper(levy) is True  # a levy notice is always mailed
    assert needs_paper(earlier) is True
    assert AuditEvent.objects.filter(tag="federal:notice:announced").count() == 2


def test_without_preferences_nothing_is_announced_and_paper_goes_out(
    pat, django_capture_on_commit_callbacks, mailoutbox
):
    period = notice_of(pat, NoticeKind.BALANCE_DUE).period
    notice = do_issue_notice(pat, kind=NoticeKind.REMINDER, issued_on=today(), period=period)
    with django_capture_on_commit_callbacks(execute=True):
        assert do_announce_new_notices(today()).announced == 0
    assert needs_paper(notice) is True
    assert mailoutbox == []


# --- the wording table ---


def test_every_kind_online_has_its_wording_and_dates():
    for code in online_kinds(today()):
        wording = WORDING[code]
        uses_date = any("%(respond_by)s" in str(text) for text in (*wording.meaning, *wording.to_do))
        notice = Notice(kind=code, issued_on=today())
        assert uses_date == (respond_by(notice) is not None), code


def test_saving_again_takes_the_email_address_of_the_current_sign_in(client, pat, sign_in, population):
    choose(client, email="on")
    sign_in(identity_of(person(population, "pat"), "sub-pat", email="pat.new@example.com"))
    page = client.get(reverse("notices:preferences")).content.decode()
    assert "You signed in with pat.new@example.com: save your preferences to send them there instead." in page
    choose(client, email="on")
    saved = NoticePreferences.objects.get(taxpayer=pat)
    assert saved.email == "pat.new@example.com"
    assert saved.email_since == today()
    latest = AuditEvent.objects.filter(tag="federal:notice_preferences:changed").order_by("-sequence").first()
    assert latest.extra == {"paperless": False, "email": True, "email_address_changed": True}


def test_a_business_notice_shows_the_ein_masked(personas):
    business = Taxpayer.objects.filter(kind=TaxpayerKind.BUSINESS).first()
    notice = do_issue_notice(business, kind=NoticeKind.BALANCE_DUE, issued_on=today(), amount=Decimal("10.00"))
    facts = dict(copy_of(notice).facts)
    assert facts["Employer identification number"] == f"XX-XXX{business.tin[-4:]}"
    assert facts["Notice"] == "CP14"

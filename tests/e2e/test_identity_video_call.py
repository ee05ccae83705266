"""The video-call path in two browsers: a person sends their documents, waits in the live
line (or books a time and checks in), and an agent, signed in with their own second step in
a second browser context, answers; the two talk over WebRTC with Chromium's fake camera and
microphone, signalled through the identity provider, and the agent approves. Axe on every
page the person and the agent see."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import axe_check, screenshot
from tests.e2e.test_identity_accounts import sign_up
from tests.e2e.test_identity_verification import RECORD, photo_files, with_an_app

CONNECTED = "[data-call-room][data-connected=true]"
# Each person here has the name, birth date and address on the test card (the photos are the
# same) but their own SSN, not used by the other browser tests: one SSN verifies one account.
LINE_RECORD = RECORD.replace("900123456", "900123459").replace("+16175550123", "+16175550126")
DENIED_RECORD = RECORD.replace("900123456", "900123461").replace("+16175550123", "+16175550128")
BOOKED_RECORD = RECORD.replace("900123456", "900123457").replace("+16175550123", "+16175550124")
MOVE_APPOINTMENT_TO_NOW = """
import datetime as dt
from django.utils import timezone
from taxgov.identity.videocall.models import VideoCall
VideoCall.objects.filter(scheduled_for__isnull=False, state="waiting").update(
    scheduled_for=timezone.now() + dt.timedelta(minutes=5))
"""


@pytest.fixture
def two_people(camera_browser: Browser) -> Iterator[tuple[BrowserContext, BrowserContext]]:
    person = camera_browser.new_context(locale="en-US", permissions=["camera", "microphone"])
    agent = camera_browser.new_context(locale="en-US", permissions=["camera", "microphone"])
    yield person, agent
    person.close()
    agent.close()


def send_documents(page: Page, base: str, email: str, folder: Path, ssn: str) -> None:
    sign_up(page, base, email)
    with_an_app(page)
    page.goto(base + "/verify/")
    page.get_by_role("button", name="Talk to an agent on a video call").click()
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(page.get_by_text("The call is not recorded.")).to_be_visible()
    page.locator("label", has_text="I agree").click()
    page.get_by_role("button", name="Next").click()
    page.locator("label", has_text="Driver's license").click()
    page.get_by_role("button", name="Next").click()
    front, back = photo_files(folder)
    page.locator("input[name=front]").set_input_files(front)
    page.locator("input[name=back]").set_input_files(back)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Your details")).to_be_visible()
    page.get_by_label(re.compile(r"^Social Security number or ITIN")).fill(ssn)
    page.get_by_label(re.compile(r"^Date of birth")).fill("03/15/1988")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Check before the call")).to_be_visible()
    axe_check(page)
    screenshot(page, "identity-video-call", f"{email.split('@')[0]}-01-review")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name="Video call with an agent")).to_be_visible()
    axe_check(page)


def agent_signs_in(page: Page, base: str, email: str, live_servers) -> None:
    sign_up(page, base, email)
    with_an_app(page)
    live_servers.manage("identity", "staff_role", email, "video-supervisor")
    page.goto(base + "/staff/video-calls/")
    expect(page.get_by_role("heading", name="Video calls")).to_be_visible()
    page.get_by_role("button", name="Go on duty").click()
    expect(page.get_by_text("You are on duty.")).to_be_visible()


def in_call(person: Page, agent: Page, shots: str) -> None:
    # The lobby asks every 5 s, and 15 s after a failed request: allow one failure on a busy machine.
    expect(person.get_by_role("heading", name="An agent is ready for you")).to_be_visible(timeout=30_000)
    axe_check(person)
    person.get_by_role("link", name="Join the video call").click()
    expect(person.locator(CONNECTED)).to_be_visible(timeout=30_000)
    expect(agent.locator(CONNECTED)).to_be_visible(timeout=30_000)
    expect(person.get_by_text("Connected.")).to_be_visible()
    axe_check(person)
    axe_check(agent)
    screenshot(person, "identity-video-call", f"{shots}-person-in-call")
    screenshot(agent, "identity-video-call", f"{shots}-agent-in-call")


def talk_and_approve(person: Page, agent: Page, shots: str) -> None:
    in_call(person, agent, shots)
    agent.locator("label", has_text="Approve").click()
    agent.get_by_label(re.compile(r"^Reason")).fill("Licence matches the person on camera; answered questions.")
    agent.get_by_role("button", name="Save the decision").click()
    expect(agent.get_by_text("Decision saved: Approved.")).to_be_visible()
    expect(person.get_by_role("heading", name="You verified your identity")).to_be_visible(timeout=15_000)
    axe_check(person)
    screenshot(person, "identity-video-call", f"{shots}-person-verified")


def test_the_live_line_then_an_agent_approves(two_people, live_servers, tmp_path: Path):
    base = live_servers["identity"]
    live_servers.manage("identity", "shell", "-c", LINE_RECORD)
    person, agent = (context.new_page() for context in two_people)
    send_documents(person, base, "video.line@example.com", tmp_path, ssn="900-12-3459")
    expect(person.get_by_text("No agents are on duty right now.")).to_be_visible()
    person.get_by_role("button", name="Join the line").click()
    expect(person.get_by_text("You are number 1 in line.")).to_be_visible()
    axe_check(person)
    screenshot(person, "identity-video-call", "line-01-waiting")
    person.get_by_role("button", name="Español").first.click()
    expect(person.get_by_text("Usted es el número 1 en la fila.")).to_be_visible()
    axe_check(person)
    screenshot(person, "identity-video-call", "line-01-waiting-es")
    person.get_by_role("button", name="English").first.click()
    expect(person.locator("html")).to_have_attribute("lang", "en")

    agent_signs_in(agent, base, "agent.one@verifyid.example", live_servers)
    expect(person.get_by_text("An agent should be with you in a moment.")).to_be_visible(timeout=15_000)
    expect(agent.get_by_role("table", name="People waiting, first come first served")).to_be_visible()
    axe_check(agent)
    screenshot(agent, "identity-video-call", "line-02-console")
    agent.get_by_role("button", name="Answer the next person").click()
    expect(agent.get_by_role("heading", name="Documents")).to_be_visible()
    expect(agent.get_by_role("img", name="Front of the ID")).to_be_visible()
    talk_and_approve(person, agent, "line")

    agent.goto(base + "/staff/video-calls/figures/")
    expect(agent.get_by_role("heading", name="Video-call figures")).to_be_visible()
    axe_check(agent)
    screenshot(agent, "identity-video-call", "line-03-figures")


def test_an_appointment_booked_checked_in_and_approved(two_people, live_servers, tmp_path: Path):
    base = live_servers["identity"]
    live_servers.manage("identity", "shell", "-c", BOOKED_RECORD)
    person, agent = (context.new_page() for context in two_people)
    send_documents(person, base, "video.booked@example.com", tmp_path, ssn="900-12-3457")
    person.get_by_role("link", name="Book an appointment").click()
    expect(person.get_by_role("heading", name="Book a video call")).to_be_visible()
    axe_check(person)
    screenshot(person, "identity-video-call", "booked-01-times")
    person.locator(".usa-radio__label").first.click()
    person.get_by_role("button", name="Book this time").click()
    expect(person.get_by_text("Your appointment is booked.")).to_be_visible()
    expect(person.get_by_role("region", name="Your appointment")).to_be_visible()
    axe_check(person)
    screenshot(person, "identity-video-call", "booked-02-booked")

    # The clock moves on to the day: the appointment is five minutes away.
    live_servers.manage("identity", "shell", "-c", MOVE_APPOINTMENT_TO_NOW)
    person.reload()
    person.get_by_role("button", name="I'm here: check in").click()
    expect(person.get_by_text("You are checked in.")).to_be_visible()
    axe_check(person)

    agent_signs_in(agent, base, "agent.two@verifyid.example", live_servers)
    axe_check(agent)
    agent.get_by_role("button", name="Start the call").click()
    talk_and_approve(person, agent, "booked")


def test_an_agent_denies_and_the_person_sees_why(two_people, live_servers, tmp_path: Path):
    base = live_servers["identity"]
    live_servers.manage("identity", "shell", "-c", DENIED_RECORD)
    person, agent = (context.new_page() for context in two_people)
    send_documents(person, base, "video.denied@example.com", tmp_path, ssn="900-12-3461")
    person.get_by_role("button", name="Join the line").click()
    agent_signs_in(agent, base, "agent.three@verifyid.example", live_servers)
    agent.get_by_role("button", name="Answer the next person").click()
    in_call(person, agent, "denied")
    agent.locator("label", has_text="Deny").click()
    agent.get_by_label(re.compile(r"^Reason")).fill("The person on camera is not the person on the licence.")
    agent.get_by_role("button", name="Save the decision").click()
    expect(agent.get_by_text("Decision saved: Denied.")).to_be_visible()
    expect(person.get_by_text("Error code: IDV-VID-001")).to_be_visible(timeout=15_000)
    expect(person.get_by_text("The agent on your video call could not verify your identity.")).to_be_visible()
    axe_check(person)
    screenshot(person, "identity-video-call", "denied-person-help")

"""Fuzzing every route of the identity provider (issue 9): no input gets a 5xx.

The visitors: someone signing up, waiting for the e-mailed code; someone who gave a new
account's password and is choosing a first second step; someone between the password and
the second step; Pat, signed in with a verified identity and connected to two agencies
(whose protocol requests, codes, tokens and client credentials are offered to the fuzzer);
Alex, in line for a video call after sending the documents; and an agent who answered Alex
and may manage the agencies' registrations.
"""

from __future__ import annotations

import base64
import time
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from taxgov.common.access.sweep import iter_routes
from taxgov.common.mfa import actions as mfa
from taxgov.common.mfa.models import SecondFactor, TrustedDevice
from taxgov.common.mfa.recovery import do_generate_recovery_codes
from taxgov.common.ratelimit import clear_all_counters
from taxgov.identity.accounts.models import EmailAddress
from taxgov.identity.oidc.models import Client as Agency
from taxgov.identity.oidc.models import Consent
from taxgov.identity.verification.errors import ERRORS
from taxgov.identity.verification.flow import BY_MAIL, SELF_SERVICE, VIDEO_CALL
from taxgov.identity.verification.models import ConfirmBy, EvidenceKind
from taxgov.identity.videocall.models import VideoCall
from tests.integration.identity.oidc.conftest import LOGOUT_REDIRECT, REDIRECT, HttpsClient, sign_in
from tests.integration.identity.oidc.test_code_flow import code_for
from tests.integration.identity.test_accounts import enrolled_with_app, sign_up
from tests.integration.identity.test_accounts import sign_in as sign_in_with_password
from tests.integration.identity.verification.test_self_service import person as identity_person
from tests.integration.identity.verification.test_video_call import make_agent, through_review
from tests.resilience.fuzzing import Fuzzer, Visitor, csrf_refusals, form_fields, tell

pytestmark = pytest.mark.django_db
BUDGET = 3600
MINIMUM_INPUTS = 3400  # each deployable's; the three runs together send over 10,000
FLOWS = (SELF_SERVICE, BY_MAIL, VIDEO_CALL)


def signing_up(send) -> Client:
    browser = Client()
    send(browser.post, reverse("signup:start"), {"email": "new.person@example.test", "agree": "on"})
    return browser


def first_setup(send) -> Client:
    browser = Client()
    sign_up(browser, send, email="first.setup@example.test")
    return browser


def at_second_step(send) -> Client:
    browser = Client()
    app = enrolled_with_app(browser, send)
    assert app.now()
    browser.post(reverse("signin:sign_out"))
    sign_in_with_password(browser)
    return browser


def pat(person, federal, state_agency, verified) -> tuple[Client, dict[str, dict[str, set[str]]], dict[str, set[str]]]:
    """Pat signed in, with another address, a remembered browser and recovery codes, connected
    to both agencies: the fields and headers of the protocol requests that would succeed."""
    browser = HttpsClient()
    sign_in(browser, person)
    EmailAddress.objects.create(user=person, email="pat.work@example.test")
    mfa.do_trust_device(person.pk, description="Firefox on Linux")
    do_generate_recovery_codes(person.pk)
    browser.post(reverse("signin:setup_app"))
    federal_code = code_for(browser, federal)
    issued = federal.redeem(browser, federal_code).json()
    state_code = code_for(browser, state_agency)
    basic = base64.b64encode(f"{quote(state_agency.client_id, safe='')}:{quote(state_agency.secret, safe='')}".encode())
    assertion = federal.assertion(exp=int(time.time()) + 3600)
    fields = {
        "openid/authorize": _query_values(federal.authorize_url(), state_agency.authorize_url()),
        "openid/token": {
            "grant_type": {"authorization_code", "refresh_token"},
            "code": {state_code, federal_code},
            "redirect_uri": {REDIRECT},
            "code_verifier": {state_agency.verifier, federal.verifier},
            "client_id": {federal.client_id, state_agency.client_id},
            "client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
            "client_assertion": {assertion},
        },
        "openid/logout": {
            "id_token_hint": {issued["id_token"]},
            "post_logout_redirect_uri": {LOGOUT_REDIRECT},
            "client_id": {federal.client_id},
            "state": {"xyz"},
        },
        "openid/userinfo": {"access_token": {issued["access_token"]}},
    }
    headers = {"Authorization": {f"Basic {basic.decode()}", f"Bearer {issued['access_token']}"}}
    return browser, fields, headers


def _query_values(*urls: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for url in urls:
        for name, value in parse_qsl(urlsplit(url).query):
            found.setdefault(name, set()).add(value)
    return found


def in_line_and_agent() -> tuple[Client, Client]:
    caller = Client()
    caller.force_login(identity_person())
    through_review(caller)
    caller.post(reverse("videocall:join_line"))
    user, desk = make_agent("agent@verifyid.example", supervisor=True)
    user.user_permissions.add(Permission.objects.get(codename="manage_clients"))
    desk.post(reverse("videocall:shift"), {"duty": "on"})
    desk.post(reverse("videocall:call_next"))
    return caller, desk


def known_values() -> dict[str, list[str]]:
    """URL values of the visitors' records, every verification step and error code."""
    return {
        "step": sorted({s.key for flow in FLOWS for s in flow.steps}),
        "by": list(ConfirmBy.values),
        "code": sorted(ERRORS),
        "factor_id": [str(pk) for pk in SecondFactor.objects.values_list("pk", flat=True)],
        "device_id": [str(pk) for pk in TrustedDevice.objects.values_list("pk", flat=True)],
        "address_id": [str(pk) for pk in EmailAddress.objects.values_list("pk", flat=True)],
        "public_id": [str(i) for i in VideoCall.objects.values_list("public_id", flat=True)]
        + [str(i) for i in Consent.objects.values_list("public_id", flat=True)],
        "client_id": list(Agency.objects.values_list("client_id", flat=True)),
        "kind": list(EvidenceKind.values),
    }


def test_no_input_gets_a_server_error(pytestconfig, settings, send, person, federal, state_agency, verified, records):
    settings.EMAIL_BACKEND = "taxgov.common.messaging.outbox.OutboxEmailBackend"  # codes are read from it
    clear_all_counters()
    signed_in, protocol_fields, protocol_headers = pat(person, federal, state_agency, verified)
    caller, agent = in_line_and_agent()
    visitors = [
        Visitor("signing-up", signing_up(send)),
        Visitor("first-setup", first_setup(send)),
        Visitor("second-step", at_second_step(send)),
        Visitor("pat", signed_in),
        Visitor("in-line", caller),
        Visitor("agent", agent),
    ]
    steps = form_fields(*(s.form for flow in FLOWS for s in flow.steps if s.form))
    fields = {
        **protocol_fields,
        **dict.fromkeys(("verify/steps/<slug:step>/", "verify/by-mail/steps/<slug:step>/"), steps),
        "verify/video-call/steps/<slug:step>/": steps,
    }
    clear_all_counters()
    fuzzer = Fuzzer(
        visitors,
        BUDGET,
        path_values=known_values(),
        fields=fields,
        json_keys=("credential", "id", "rawId", "response", "type", "clientDataJSON", "authenticatorData", "signature"),
        headers=protocol_headers,
        start=(federal.authorize_url(), state_agency.authorize_url()),
    ).run()
    tell(pytestconfig, fuzzer.summary())
    assert fuzzer.findings == [], fuzzer.summary()
    assert fuzzer.inputs >= MINIMUM_INPUTS
    assert set(fuzzer.covered) == {route.pattern for route in iter_routes()}


def test_posts_without_a_csrf_token_are_refused(person):
    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, person)
    wrong = csrf_refusals([Client(enforce_csrf_checks=True), browser])
    assert wrong == []

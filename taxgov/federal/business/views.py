"""Switch account, register or revalidate as a Designated Official, the people who may act for
the business, and the page a person acting for an entity sees on an individual-only page."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from taxgov.common.access.rules import access_rule
from taxgov.common.ratelimit import client_ip, rate_limiter
from taxgov.common.security.redirects import safe_next
from taxgov.federal.business import actions, queries, session
from taxgov.federal.business.access import ACTING_OFFICIAL, acting_official, entity_role, own_role
from taxgov.federal.business.forms import AnswersForm, GrantForm, RegisterForm
from taxgov.federal.business.models import RoleKind
from taxgov.federal.profile.access import HAS_PROFILE, acting_role, profile_of, signed_in_user
from taxgov.federal.signin.access import VERIFIED_IDENTITY

INDIVIDUAL = "individual"
NO_MATCH = gettext_lazy(
    "We could not confirm that you can act for this business or estate. Check each answer against "
    "its records. Only its responsible party can register online."
)


def _next(request: HttpRequest, default: str) -> str:
    return safe_next(request) or default


def _limited(request: HttpRequest) -> int:
    """Count one attempt; the minutes to wait when the person has tried too often, else 0."""
    user, ip = str(signed_in_user(request).pk), client_ip(request)
    by_user, by_ip = rate_limiter("federal.business.answers.user"), rate_limiter("federal.business.answers.ip")
    if by_user.hit(user) and by_ip.hit(ip):
        return 0
    actions.do_refuse_attempt(signed_in_user(request), request=request)
    wait = max(by_user.resets_in(user), by_ip.resets_in(ip), dt.timedelta(minutes=1))
    return -(-int(wait.total_seconds()) // 60)


def _switch(request: HttpRequest) -> HttpResponseBase:
    """Act as the individual, or for an entity the person holds a role for (404 otherwise)."""
    user = signed_in_user(request)
    choice = request.POST.get("account", "")
    if choice == INDIVIDUAL:
        session.forget(request)
        actions.do_switch(user, None, request=request)
        return redirect(_next(request, "balances:home"))
    try:
        entity_id = uuid.UUID(choice)
    except ValueError:
        raise Http404 from None
    role = own_role(request, entity_id)
    if not queries.may_act(role, timezone.localdate()):
        return redirect("business:revalidate", entity_id=role.entity.public_id)
    session.choose(request, role.entity)
    actions.do_switch(user, role.entity, request=request)
    return redirect("balances:home")


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponseBase:
    """Switch account: the person's own, or an entity they hold a role for."""
    if request.method == "POST":
        return _switch(request)
    user = signed_in_user(request)
    today = timezone.localdate()
    roles = queries.roles_of_user(user.pk)
    context = {
        "individual": profile_of(request).taxpayer,
        "acting": acting_role(request),
        "entries": [
            {
                "role": role,
                "must_revalidate": queries.must_revalidate(role, today),
                "due": queries.revalidation_due(role, today),
            }
            for role in roles
        ],
    }
    return render(request, "business/index.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register as a Designated Official: the EIN, what the entity filed and where, a title and
    the attestation. One answer for every mismatch."""
    form = RegisterForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        minutes = _limited(request)
        if minutes:
            context["limited_minutes"] = minutes
            return render(request, "business/register.html", context, status=429)
        role = actions.do_register_official(
            user=signed_in_user(request),
            person=profile_of(request).taxpayer,
            ein=form.cleaned_data["ein"],
            answers=form.answers(),
            today=timezone.localdate(),
            request=request,
        )
        if role is None:
            form.add_error(None, str(NO_MATCH))
            return render(request, "business/register.html", context)
        session.choose(request, role.entity)
        actions.do_switch(role.user, role.entity, request=request)
        messages.success(
            request, _("You are a Designated Official of %(name)s and now act for it.") % {"name": role.entity.name}
        )
        return redirect("balances:home")
    return render(request, "business/register.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_http_methods(["GET", "POST"])
def revalidate(request: HttpRequest, entity_id: uuid.UUID) -> HttpResponse:
    """Sign again as a Designated Official (each year, or first when another official named you)."""
    role = own_role(request, entity_id)
    today = timezone.localdate()
    if not role.is_official or not (queries.must_revalidate(role, today) or queries.revalidation_due(role, today)):
        return redirect("business:index")
    form = AnswersForm(request.POST or None)
    context: dict[str, object] = {"form": form, "role": role, "window": queries.last_closed_window(today)}
    if request.method == "POST" and form.is_valid():
        minutes = _limited(request)
        if minutes:
            context["limited_minutes"] = minutes
            return render(request, "business/revalidate.html", context, status=429)
        try:
            signed = actions.do_revalidate_official(role, answers=form.answers(), today=today, request=request)
        except actions.BusinessRoleError as error:
            messages.error(request, str(error))
            return redirect("business:index")
        if signed is None:
            form.add_error(None, str(NO_MATCH))
            return render(request, "business/revalidate.html", context)
        session.choose(request, role.entity)
        actions.do_switch(role.user, role.entity, request=request)
        messages.success(request, _("Thank you. You can act for %(name)s.") % {"name": role.entity.name})
        return redirect("balances:home")
    return render(request, "business/revalidate.html", context)


def _people_page(request: HttpRequest, form: GrantForm, status: int = 200) -> HttpResponse:
    official = acting_official(request)
    context = {"official": official, "roles": queries.roles_of_entity(official.entity), "form": form}
    return render(request, "business/people.html", context, status=status)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, ACTING_OFFICIAL)
@require_http_methods(["GET", "POST"])
def people(request: HttpRequest) -> HttpResponse:
    """Who may act for the business, and naming someone else by their SSN and last name."""
    form = GrantForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return _people_page(request, form)
    user = str(signed_in_user(request).pk)
    limiter = rate_limiter("federal.business.grant.user")
    if not limiter.hit(user):
        actions.do_refuse_attempt(signed_in_user(request), request=request)
        form.add_error(None, _("You added too many people in a short time. Try again later."))
        return _people_page(request, form, status=429)
    try:
        actions.do_grant_role(
            acting_official(request),
            ssn=form.cleaned_data["ssn"],
            last_name=form.cleaned_data["last_name"],
            kind=RoleKind(form.cleaned_data["role"]),
            request=request,
        )
    except actions.BusinessRoleError as error:
        messages.error(request, str(error))
        return redirect("business:index")
    messages.success(request, _("If this person has an Online Account, they can now act for the business."))
    return redirect("business:people")


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, ACTING_OFFICIAL)
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, role_id: uuid.UUID) -> HttpResponseBase:
    target = entity_role(request, role_id)
    official = acting_official(request)
    if request.method == "GET":
        return render(request, "business/remove.html", {"target": target, "official": official})
    try:
        actions.do_remove_role(official, target, request=request)
    except actions.BusinessRoleError as error:
        messages.error(request, str(error))
        return redirect("business:people")
    session.forget_checked(request)
    messages.success(request, _("They can no longer act for the business."))
    return redirect("business:people" if target.pk != official.pk else "business:index")


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def individual_only(request: HttpRequest) -> HttpResponse:
    """Where an individual-only page sends someone acting for an entity."""
    return render(
        request, "business/individual_only.html", {"next": _next(request, ""), "acting": acting_role(request)}
    )

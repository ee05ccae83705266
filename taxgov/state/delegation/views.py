"""Manage My Access (owners and Master Administrators) and Manage My Clients (tax professionals)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from taxgov.common.access.rules import SIGNED_IN, AccessRule, access_rule, deny_not_found
from taxgov.common.ratelimit import rate_limiter
from taxgov.ledger import queries as ledger
from taxgov.ledger.models import TaxAccount
from taxgov.state.accounts import actions
from taxgov.state.accounts.models import AccessRole
from taxgov.state.delegation import access
from taxgov.state.delegation.forms import ClientRequestForm, ScopeForm
from taxgov.state.portal.access import signed_in_logon, taxpayer_name

TAX_PROFESSIONAL = AccessRule(
    "tax-professional",
    allows=lambda request: request.user.is_authenticated and bool(getattr(request.user, "is_tax_professional", False)),
    deny=deny_not_found,
)


@access_rule(SIGNED_IN)
def manage_access(request: HttpRequest) -> HttpResponse:
    user = signed_in_logon(request)
    sections = []
    for own in access.managed_taxpayer_grants(user):
        accounts = list(TaxAccount.objects.filter(taxpayer=own.taxpayer).order_by("account_type"))
        others = [
            (grant, ScopeForm(accounts=accounts, initial={"account": grant.account_id}, prefix=f"g{grant.pk}"))
            for grant in access.others_on(own)
        ]
        sections.append({"own": own, "name": taxpayer_name(own.taxpayer), "others": others})
    return render(request, "delegation/manage_access.html", {"sections": sections, "roles": AccessRole})


@access_rule(SIGNED_IN)
@require_POST
def set_scope(request: HttpRequest, grant_id: int) -> HttpResponse:
    user = signed_in_logon(request)
    grant = access.grant_managed_by(user, grant_id, master_only=True)
    accounts = list(TaxAccount.objects.filter(taxpayer=grant.taxpayer))
    form = ScopeForm(request.POST, accounts=accounts, prefix=f"g{grant.pk}")
    if form.is_valid():
        try:
            actions.do_set_access_scope(grant, account=form.chosen(), by=user, request=request)
        except actions.AccessChangeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Access was changed."))
    return redirect("delegation:manage_access")


@access_rule(SIGNED_IN)
@require_POST
def revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    user = signed_in_logon(request)
    grant = access.grant_managed_by(user, grant_id)
    try:
        actions.do_revoke_access(grant, by=user, request=request)
    except actions.AccessChangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Access was removed."))
    return redirect("delegation:manage_access")


@access_rule(SIGNED_IN)
@require_POST
def decide(request: HttpRequest, grant_id: int) -> HttpResponse:
    user = signed_in_logon(request)
    grant = access.grant_managed_by(user, grant_id)
    approve = request.POST.get("decision") == "approve"
    try:
        actions.do_decide_client_access(grant, approve=approve, by=user, request=request)
    except actions.AccessChangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Access approved.") if approve else _("Request denied."))
    return redirect("delegation:manage_access")


@access_rule(TAX_PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def manage_clients(request: HttpRequest) -> HttpResponse:
    """Ask a client for access. The answer is the same whether or not the ID and name match
    a taxpayer, so the page cannot be used to find out who files here."""
    professional = signed_in_logon(request)
    form = ClientRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not rate_limiter("state.clients.request").hit(str(professional.pk)):
            form.add_error(None, _("Too many requests. Try again tomorrow."))
        else:
            taxpayer = ledger.find_taxpayer_by_tin(form.cleaned_data["tin"])
            name = form.cleaned_data["name"].strip().casefold()
            if taxpayer is not None and name in (taxpayer.last_name.casefold(), taxpayer.name.casefold()):
                actions.do_request_client_access(professional, taxpayer, request=request)
            messages.success(
                request,
                _("If the ID and name match a taxpayer with a logon, they have been asked to approve your access."),
            )
            return redirect("delegation:manage_clients")
    clients = [(grant, taxpayer_name(grant.taxpayer)) for grant in access.client_grants(professional)]
    return render(request, "delegation/manage_clients.html", {"form": form, "clients": clients})

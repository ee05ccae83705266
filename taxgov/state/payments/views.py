"""Make a payment, see payment history, cancel a scheduled payment."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from taxgov.common.access.rules import SIGNED_IN, access_rule
from taxgov.state.payments import access, actions
from taxgov.state.payments.forms import PaymentForm
from taxgov.state.portal import access as portal_access
from taxgov.state.portal.access import signed_in_logon
from taxgov.state.portal.queries import summary


@access_rule(SIGNED_IN)
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    payments = access.visible_payments(signed_in_logon(request)).order_by("-pay_on", "-pk")[:100]
    return render(request, "payments/history.html", {"payments": payments, "today": timezone.localdate()})


@access_rule(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def make_payment(request: HttpRequest, taxpayer_id: uuid.UUID) -> HttpResponse:
    user = signed_in_logon(request)
    grant = portal_access.grant_for_taxpayer(user, taxpayer_id)
    position = summary(grant, timezone.localdate())
    periods = [(row.period, row.amounts["total"]) for account in position.accounts for row in account.periods]
    periods.sort(key=lambda pair: (pair[1] <= 0, pair[0].end))  # what is owed first, oldest first
    initial = {"idempotency_key": uuid.uuid4().hex, "pay_on": timezone.localdate()}
    form = PaymentForm(request.POST or None, periods=periods, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = actions.do_make_payment(
                user=user,
                period=data["period"],
                amount=data["amount"],
                pay_on=data["pay_on"],
                bank_account_kind=data["bank_account_kind"],
                routing_number=data["routing_number"],
                account_number=data["account_number"],
                idempotency_key=data["idempotency_key"],
                request=request,
            )
        except actions.PaymentError as error:
            form.add_error(None, str(error))
        else:
            return redirect("payments:detail", public_id=payment.public_id)
    return render(request, "payments/make.html", {"form": form, "position": position})


@access_rule(SIGNED_IN)
@require_GET
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    payment = access.payment_for(signed_in_logon(request), public_id)
    return render(request, "payments/detail.html", {"payment": payment, "today": timezone.localdate()})


@access_rule(SIGNED_IN)
@require_POST
def cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_logon(request)
    payment = access.payment_for(user, public_id)
    try:
        actions.do_cancel_payment(payment, user=user, request=request)
    except actions.PaymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The payment was cancelled. Nothing will be taken from your bank account."))
    return redirect("payments:detail", public_id=payment.public_id)

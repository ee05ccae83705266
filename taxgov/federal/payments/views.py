"""Payments: Payment Activity, make a payment (the form, a review, the confirmation), and
cancel a scheduled one."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from taxgov.common.access.rules import access_rule
from taxgov.federal.payments import actions, queries
from taxgov.federal.payments.access import own_payment
from taxgov.federal.payments.forms import PaymentForm
from taxgov.federal.payments.models import WAITING, PaymentStatus
from taxgov.federal.profile.access import (
    HAS_PROFILE,
    MAY_MAKE_PAYMENTS,
    signed_in_user,
    taxpayer_of,
    verified_identity,
)
from taxgov.federal.signin.access import VERIFIED_IDENTITY

ACTIVITY_GROUPS = (
    WAITING,
    (PaymentStatus.PROCESSED, PaymentStatus.RETURNED, PaymentStatus.CANCELED),
)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def activity(request: HttpRequest) -> HttpResponse:
    payments = list(queries.payments_of(taxpayer_of(request))[:200])
    return render(
        request,
        "payments/activity.html",
        {
            "upcoming": [payment for payment in payments if payment.status in ACTIVITY_GROUPS[0]],
            "past": [payment for payment in payments if payment.status in ACTIVITY_GROUPS[1]],
            "cancelable": {payment.pk for payment in payments if queries.can_cancel(payment)},
            "may_pay": MAY_MAKE_PAYMENTS.allows(request),
        },
    )


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, MAY_MAKE_PAYMENTS)
@require_http_methods(["GET", "POST"])
def make(request: HttpRequest) -> HttpResponseBase:
    """The form; "Continue" shows the review (the answers ride along as hidden fields), and
    "Submit payment" there makes the payment."""
    taxpayer = taxpayer_of(request)
    today = timezone.localdate()
    initial = {"idempotency_key": uuid.uuid4().hex, "pay_on": today}
    form = PaymentForm(request.POST or None, purposes=queries.purposes(taxpayer, today), initial=initial)
    if request.method != "POST" or not form.is_valid() or "edit" in request.POST:
        return render(request, "payments/make.html", {"form": form})
    if "submit" not in request.POST:
        context = {"form": form, "data": form.cleaned_data, "bank": form.bank_account()}
        return render(request, "payments/review.html", context)
    data = form.cleaned_data
    try:
        payment = actions.do_make_payment(
            user=signed_in_user(request),
            taxpayer=taxpayer,
            purpose=data["purpose"],
            amount=data["amount"],
            pay_on=data["pay_on"],
            bank=form.bank_account(),
            idempotency_key=data["idempotency_key"],
            email_to=verified_identity(request).email if data["email_confirmation"] else "",
            request=request,
        )
    except actions.PaymentError as error:
        form.add_error(None, str(error))
        return render(request, "payments/make.html", {"form": form})
    return redirect("payments:detail", public_id=payment.public_id)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE)
@require_GET
def detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    payment = own_payment(request, public_id)
    context = {
        "payment": payment,
        "can_cancel": queries.can_cancel(payment),
        "cancel_deadline": queries.cancel_deadline(payment.pay_on),
    }
    return render(request, "payments/detail.html", context)


@access_rule(VERIFIED_IDENTITY, HAS_PROFILE, MAY_MAKE_PAYMENTS)
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, public_id: uuid.UUID) -> HttpResponseBase:
    payment = own_payment(request, public_id)
    if request.method == "GET":
        context = {
            "payment": payment,
            "can_cancel": queries.can_cancel(payment),
            "too_late": actions.TOO_LATE_TO_CANCEL,
        }
        return render(request, "payments/cancel.html", context)
    try:
        actions.do_cancel_payment(payment, user=signed_in_user(request), request=request)
    except actions.PaymentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The payment is canceled. Nothing will be taken from your bank account."))
    return redirect("payments:detail", public_id=payment.public_id)

"""The development outbox: every message the deployable "sent", readable in the browser."""

from __future__ import annotations

from csp.decorators import csp
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from taxgov.common.access.rules import DEV_TOOLS, access_rule
from taxgov.common.messaging.actions import do_send_test_email
from taxgov.common.messaging.forms import TestEmailForm
from taxgov.common.messaging.models import OutboxMessage
from taxgov.common.ratelimit import client_ip, rate_limiter

PAGE_SIZE = 50
# An email's HTML part is shown as sent, sandboxed: no scripts, links open only on a click.
HTML_EMAIL_POLICY = {
    "default-src": ["'none'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'unsafe-inline'"],
    "sandbox": ["allow-popups", "allow-top-navigation-by-user-activation"],
}


@access_rule(DEV_TOOLS)
@require_http_methods(["GET", "POST"])
def outbox(request: HttpRequest) -> HttpResponse:
    form = TestEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limiter = rate_limiter("dev.outbox.test_email")
        if not limiter.hit(client_ip(request)):
            form.add_error(None, _("Too many test emails. Try again in a minute."))
        else:
            do_send_test_email(form.cleaned_data["to"], home_url=request.build_absolute_uri("/"), request=request)
            messages.success(request, _("Test email sent. It is at the top of the list."))
            return redirect("outbox:list")
    recent = OutboxMessage.objects.all()[:PAGE_SIZE]
    return render(request, "messaging/outbox.html", {"form": form, "outbox_messages": recent})


@access_rule(DEV_TOOLS)
@require_http_methods(["GET"])
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage, pk=message_id)
    return render(request, "messaging/message.html", {"message": message})


@access_rule(DEV_TOOLS)
@require_http_methods(["GET"])
@csp(HTML_EMAIL_POLICY)  # type: ignore[arg-type]  # django-csp types views as taking only the request
def message_html(request: HttpRequest, message_id: int) -> HttpResponse:
    """The HTML part exactly as sent, with scripts impossible (CSP sandbox)."""
    message = get_object_or_404(OutboxMessage, pk=message_id, channel=OutboxMessage.Channel.EMAIL)
    return HttpResponse(message.body_html or "<p>(no HTML part)</p>")


@access_rule(DEV_TOOLS)
@require_http_methods(["GET"])
def message_pdf(request: HttpRequest, message_id: int) -> HttpResponse:
    """A letter exactly as it would have gone to the printer."""
    message = get_object_or_404(OutboxMessage, pk=message_id, channel=OutboxMessage.Channel.LETTER)
    response = HttpResponse(bytes(message.attachment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{message.pk}.pdf"'
    return response

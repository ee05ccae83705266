"""More e-mail addresses on an account (Login.gov allows up to 12): add one (confirmed by a
link sent to it), make a confirmed one the address used to sign in, remove one. An address
of another account is never revealed: the same page, and its owner is told instead."""

from __future__ import annotations

from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.common.messaging.api import send_email
from taxgov.identity.accounts.actions import disavow_link, do_notify_security_change
from taxgov.identity.accounts.models import EmailAddress, User

SALT = "taxgov.identity.add_email"
LINK_HOURS = 24
MAX_ADDRESSES = 12


class EmailError(Exception):
    pass


def _taken(address: str) -> bool:
    return (
        User.objects.filter(email__iexact=address).exists()
        or EmailAddress.objects.filter(email__iexact=address).exists()
    )


@transaction.atomic
def do_add_email(user: User, email: str, *, request: HttpRequest) -> None:
    address = User.objects.normalize_sign_in_name(email)
    if EmailAddress.objects.filter(user=user).count() >= MAX_ADDRESSES - 1:
        raise EmailError(_("An account can have %(count)d email addresses.") % {"count": MAX_ADDRESSES})
    if _taken(address):
        owner = User.objects.filter(email__iexact=address).first()
        if owner is not None and owner.pk != user.pk:
            send_email(
                "signup_existing", owner.email, {"sign_in_url": request.build_absolute_uri(reverse("signin:sign_in"))}
            )
        return
    try:
        with transaction.atomic():
            added = EmailAddress.objects.create(user=user, email=address)
    except IntegrityError:
        return
    token = signing.dumps({"address": added.pk}, salt=SALT)
    link = request.build_absolute_uri(reverse("account:confirm_email", kwargs={"token": token}))
    send_email("email_confirm", address, {"link": link, "hours": LINK_HOURS})


@transaction.atomic
def do_confirm_email(user: User, token: str, *, request: HttpRequest) -> bool:
    try:
        payload = signing.loads(token, salt=SALT, max_age=LINK_HOURS * 3600)
    except signing.BadSignature:
        return False
    address_id = payload.get("address") if isinstance(payload, dict) else None
    found = EmailAddress.objects.filter(pk=address_id or 0, user=user, confirmed_at=None).first()
    if found is None:
        return False
    found.confirmed_at = timezone.now()
    found.save(update_fields=["confirmed_at"])
    do_notify_security_change(user, _("An email address was added to your account."), request=request)
    return True


@transaction.atomic
def do_make_primary(user: User, address: EmailAddress, *, request: HttpRequest) -> None:
    """Sign in with ``address`` from now on; the old primary stays as a confirmed address."""
    if address.confirmed_at is None:
        raise EmailError(_("Confirm the address first."))
    old = user.email
    address.delete()
    user.email = address.email
    user.save(update_fields=["email"])
    EmailAddress.objects.create(user=user, email=old, confirmed_at=timezone.now())
    what = _("The email address you sign in with was changed to %(email)s.") % {"email": user.email}
    do_notify_security_change(user, what, request=request)
    send_email("email_changed", old, {"what": what, "disavow_url": disavow_link(request, user, what)})


@transaction.atomic
def do_remove_email(user: User, address: EmailAddress, *, request: HttpRequest) -> None:
    address.delete()
    if address.confirmed_at is not None:
        do_notify_security_change(user, _("An email address was removed from your account."), request=request)

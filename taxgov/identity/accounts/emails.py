"""More e-mail addresses on an account (Login.gov allows up to 12): add one (confirmed by a
link sent to it), make a confirmed one the address used to sign in, remove one. An address
of another account is never revealed: the same page, and its owner is told instead."""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from taxgov.common.messaging.api import send_email
from taxgov.identity.accounts.models import EmailAddress, User
from taxgov.identity.accounts.notices import disavow_link, do_notify_security_change

SALT = "taxgov.identity.add_email"
LINK_HOURS = 24
MAX_ADDRESSES = 12


class EmailError(Exception):
    pass


def owner_of(address: str) -> User | None:
    """The account that has ``address`` confirmed, as its sign-in address or another one."""
    user = User.objects.filter(email__iexact=address, email_confirmed_at__isnull=False).first()
    if user is not None:
        return user
    other = EmailAddress.objects.filter(email__iexact=address, confirmed_at__isnull=False).first()
    return other.user if other is not None else None


@transaction.atomic
def do_add_email(user: User, email: str, *, request: HttpRequest) -> None:
    """Always a pending row on this account (the page looks the same whoever owns the
    address); the confirmation goes only to an address no other account has, and that
    account's owner is told instead."""
    address = User.objects.normalize_sign_in_name(email)
    if EmailAddress.objects.filter(user=user).count() >= MAX_ADDRESSES - 1:
        raise EmailError(_("An account can have %(count)d email addresses.") % {"count": MAX_ADDRESSES})
    if address.casefold() == user.email.casefold():
        return
    added, _created = EmailAddress.objects.get_or_create(user=user, email=address, defaults={"confirmed_at": None})
    owner = owner_of(address)
    if owner is not None:
        if owner.pk != user.pk:
            sign_in_url = request.build_absolute_uri(reverse("signin:sign_in"))
            send_email("signup_existing", owner.email, {"sign_in_url": sign_in_url})
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
    found = EmailAddress.objects.select_for_update().filter(pk=address_id or 0, user=user, confirmed_at=None).first()
    if found is None or owner_of(found.email) is not None:
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
    # A sign-up someone started with this address and never confirmed gives way to it.
    User.objects.filter(email__iexact=address.email, email_confirmed_at__isnull=True).delete()
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

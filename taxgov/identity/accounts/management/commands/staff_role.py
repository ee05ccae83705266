"""Give an existing account a staff role, or take it away (--remove).

Staff sign in like anyone, with a second step; staff pages ask for that step in the session
(``taxgov.identity.signin.access.staff_with``). An account is staff while it holds any role's permission.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q

from taxgov.common.audit.actions import record_event
from taxgov.identity.accounts.tags import AccountTag

ROLES: dict[str, list[str]] = {
    "video-agent": ["identity_videocall.answer_video_calls"],
    "video-supervisor": ["identity_videocall.answer_video_calls", "identity_videocall.see_video_call_figures"],
    "client-admin": ["identity_oidc.manage_clients"],
}


def _permissions(names: list[str]) -> list[Permission]:
    query = Q()
    for name in names:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


class Command(BaseCommand):
    help = "Give an account a staff role: video-agent, video-supervisor or client-admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("role", choices=list(ROLES))
        parser.add_argument("--remove", action="store_true", help="take the role away")

    @transaction.atomic
    def handle(self, *args: Any, email: str, role: str, remove: bool, **options: Any) -> None:
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError("No account has that email address.")
        permissions = _permissions(ROLES[role])
        if remove:
            user.user_permissions.remove(*permissions)
        else:
            user.user_permissions.add(*permissions)
        every_role = _permissions(sorted({name for names in ROLES.values() for name in names}))
        user.is_staff = user.user_permissions.filter(pk__in=[permission.pk for permission in every_role]).exists()
        user.save(update_fields=["is_staff"])
        tag = AccountTag.STAFF_ROLE_REMOVED if remove else AccountTag.STAFF_ROLE_GIVEN
        record_event(tag, actor="system:manage", subject=f"user:{user.pk}", extra={"role": role})
        self.stdout.write(f"user {user.pk}: {'no longer ' if remove else ''}{role}")

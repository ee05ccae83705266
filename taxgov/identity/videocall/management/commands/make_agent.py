"""Make an existing account a video-call agent (and, with --supervisor, let it see the figures).

Agents sign in like anyone, with a second step; the console asks for that step in the session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from taxgov.common.audit.actions import record_event
from taxgov.identity.videocall.tags import VideoCallTag


class Command(BaseCommand):
    help = "Make an account a video-call agent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--supervisor", action="store_true", help="also see the wait and handling figures")
        parser.add_argument("--remove", action="store_true", help="take the agent's rights away")

    @transaction.atomic
    def handle(self, *args: Any, email: str, supervisor: bool, remove: bool, **options: Any) -> None:
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError("No account has that email address.")
        codenames = ["answer_video_calls", *(["see_video_call_figures"] if supervisor or remove else [])]
        permissions = Permission.objects.filter(content_type__app_label="identity_videocall", codename__in=codenames)
        if remove:
            user.user_permissions.remove(*permissions)
            user.is_staff = False
        else:
            user.user_permissions.add(*permissions)
            user.is_staff = True
        user.save(update_fields=["is_staff"])
        tag = VideoCallTag.AGENT_REMOVED if remove else VideoCallTag.AGENT_ADDED
        record_event(tag, actor="system:manage", subject=f"user:{user.pk}", extra={"supervisor": supervisor})
        self.stdout.write(f"user {user.pk}: {'no longer an agent' if remove else 'agent'}")

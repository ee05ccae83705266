"""Scheduled jobs of video calls."""

from __future__ import annotations

from celery import shared_task

from taxgov.identity.videocall import actions


@shared_task
def expire_video_calls() -> int:
    """Every minute: people who were called and did not join, or closed the waiting page."""
    return actions.do_expire_calls()

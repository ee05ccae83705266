"""Every email this deployable can send has a subject, a text body and an HTML body."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps

PARTS = ("subject.txt", "body.txt", "body.html")


def email_folders() -> list[Path]:
    folders = []
    for app in apps.get_app_configs():
        root = Path(app.path) / "templates" / "emails"
        if root.is_dir():
            folders.extend(path for path in root.iterdir() if path.is_dir())
    return folders


def test_every_email_has_all_three_parts():
    folders = email_folders()
    incomplete = {folder.name: [part for part in PARTS if not (folder / part).exists()] for folder in folders}
    assert {name: parts for name, parts in incomplete.items() if parts} == {}


def test_plain_text_parts_are_not_html_escaped():
    """Subjects and text bodies are not HTML: "Pat & Sam" must not arrive as "Pat &amp; Sam"."""
    escaped = [
        f"{folder.name}/{part}"
        for folder in email_folders()
        for part in ("subject.txt", "body.txt")
        if (folder / part).exists() and "{% autoescape off %}" not in (folder / part).read_text()
    ]
    assert escaped == []

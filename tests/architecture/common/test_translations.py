"""The committed Spanish catalogue is complete and its compiled form is up to date."""

from __future__ import annotations

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[3] / "locale" / "es" / "LC_MESSAGES"


def test_every_message_is_translated():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))
    source = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in po.translated_entries()}
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in mo if entry.msgid}
    assert compiled == source, "run `make messages` and commit locale/es/LC_MESSAGES/django.mo"

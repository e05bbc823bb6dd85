"""The demo's Italian catalogue: complete, and compiled (the .mo is committed)."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "project" / "locale" / "it" / "LC_MESSAGES"


def read_po(path: Path) -> dict[tuple[str, str], list[str]]:
    """``{(context, msgid): [msgstr, ...]}`` of a .po file (enough of the format for ours)."""
    entries: dict[tuple[str, str], list[str]] = {}
    fields: dict[str, str] = {}
    current = ""

    def flush() -> None:
        if fields.get("msgid"):
            strings = [fields[k] for k in sorted(fields) if k.startswith("msgstr")]
            entries[(fields.get("msgctxt", ""), fields["msgid"])] = strings
        fields.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            fields[current] += ast.literal_eval(line)
        else:
            current, _, literal = line.partition(" ")
            fields[current] = ast.literal_eval(literal)
    flush()
    return entries


def test_every_string_is_translated() -> None:
    entries = read_po(CATALOGUE / "django.po")
    assert len(entries) > 30
    untranslated = [key for key, strings in entries.items() if not all(strings)]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file() -> None:
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for (context, msgid), strings in read_po(CATALOGUE / "django.po").items():
        if context:
            assert compiled.pgettext(context, msgid) == strings[0], msgid
        elif len(strings) == 1:
            assert compiled.gettext(msgid) == strings[0], msgid
        else:
            assert compiled.ngettext(msgid, msgid, 1) == strings[0], msgid
            assert compiled.ngettext(msgid, msgid, 2) == strings[1], msgid

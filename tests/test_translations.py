"""French first, English too: the catalogues that carry it."""

import re
from pathlib import Path

from django.utils import translation
from django.utils.translation import ngettext

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def po_entries(path):
    """(msgid, msgstr values) of each entry of a .po file, with continuation lines joined."""
    entries, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            current, key = {"msgid": line[6:], "msgstr": []}, "msgid"
        elif line.startswith("msgid_plural "):
            key = "plural"
        elif line.startswith("msgstr"):
            current["msgstr"].append(line.split(" ", 1)[1])
            key = "msgstr"
        elif line.startswith('"') and current is not None:
            if key == "msgid":
                current["msgid"] += line
            elif key == "msgstr":
                current["msgstr"][-1] += line
        elif not line.strip() and current is not None:
            entries.append(current)
            current = None
    return [e for e in entries if e["msgid"] != '""']


def test_every_interface_string_has_its_english_translation():
    entries = po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    untranslated = [e["msgid"] for e in entries if any(re.fullmatch(r'(""\s*)+', s) for s in e["msgstr"])]
    assert len(entries) > 300
    assert untranslated == []


def test_no_english_translation_is_left_fuzzy():
    text = (LOCALE / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    body = text.split("\n\n", 1)[1]
    assert "#, fuzzy" not in body


def test_french_plurals_follow_french_rules():
    with translation.override("fr"):
        assert ngettext("%(count)d cluster publié.", "%(count)d clusters publiés.", 0) % {"count": 0} == (
            "0 cluster publié."
        )
        assert ngettext("%(count)d cluster publié.", "%(count)d clusters publiés.", 2) % {"count": 2} == (
            "2 clusters publiés."
        )
    with translation.override("en"):
        assert ngettext("%(count)d cluster publié.", "%(count)d clusters publiés.", 0) % {"count": 0} == (
            "0 clusters published."
        )

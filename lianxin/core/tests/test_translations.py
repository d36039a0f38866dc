"""zh-hans is the default language and its catalogue must be complete.

For every app with a catalogue: all strings in the code are in the catalogue (makemessages is
run on a copy), every entry is translated and not fuzzy, and the compiled .mo matches."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parents[2]
APPS = sorted(p.parent.name for p in PACKAGE.glob("*/locale"))


def _catalogue(app: str) -> Path:
    return PACKAGE / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_app_with_strings_has_a_catalogue():
    apps_with_code = {p.parent.name for p in PACKAGE.glob("*/apps.py")}
    assert apps_with_code <= set(APPS), apps_with_code - set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_catalogue_is_complete_and_compiled(app):
    po = polib.pofile(str(_catalogue(app)))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {app}: {untranslated}"
    assert not fuzzy, f"fuzzy in {app}: {fuzzy}"
    mo = polib.mofile(str(_catalogue(app).with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr or e.msgstr_plural.get(0)) for e in mo}
    for entry in po.translated_entries():
        expected = entry.msgstr or entry.msgstr_plural.get(0)
        assert compiled.get((entry.msgctxt, entry.msgid)) == expected, (
            f"{app}: the .mo is stale for {entry.msgid!r}; run `make messages`"
        )


@pytest.mark.parametrize("app", APPS)
def test_catalogue_holds_every_string_of_the_code(app, tmp_path, monkeypatch):
    copy = tmp_path / app
    shutil.copytree(PACKAGE / app, copy, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["zh_Hans"], no_location=True, verbosity=0)
    extracted = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    }
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(_catalogue(app)))}
    missing = sorted(m for _, m in extracted - committed)
    assert not missing, (
        f"{app}: strings missing from the catalogue (run `make messages`): {missing}"
    )


def test_the_same_string_means_the_same_in_every_catalogue():
    """Django merges the apps' catalogues (the first installed app wins), so one msgid with
    two translations silently shows the wrong one somewhere: give such strings a context."""
    translations: dict = {}
    for app in APPS:
        for entry in polib.pofile(str(_catalogue(app))):
            key = (entry.msgctxt, entry.msgid)
            value = entry.msgstr or entry.msgstr_plural.get(0)
            translations.setdefault(key, {})[app] = value
    clashes = {key[1]: apps for key, apps in translations.items() if len(set(apps.values())) > 1}
    assert not clashes, clashes

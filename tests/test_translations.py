"""The Vietnamese catalogue: complete, compiled, and carrying every string the source wraps for translation."""

import os
import re
import shutil
import subprocess
import sys

import polib
import pytest
from django.conf import settings

PO = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# What `make messages` reads for the "django" domain is every .py, .html and .txt of the checkout; the copy
# leaves out what holds none of them (or must not be read: the virtualenv, var/, the catalogue itself).
NOT_SOURCES = {"var", "locale", "static", "docs", "node_modules", "staticfiles"}  # and every .hidden one


def where(entry: polib.POEntry) -> str:
    places = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3]) or "no source reference"
    more = f" (+{len(entry.occurrences) - 3} more)" if len(entry.occurrences) > 3 else ""
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"  {context}{entry.msgid!r}  — {places}{more}"


def report(title: str, entries: list[polib.POEntry]) -> str:
    return f"{len(entries)} {title} in {PO.relative_to(settings.BASE_DIR)}:\n" + "\n".join(map(where, entries))


def key(entry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def translations(entry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def test_every_entry_is_translated(catalogue):
    missing = [e for e in catalogue if not e.obsolete and not e.fuzzy and not e.translated()]
    assert not missing, report("untranslated entries", missing)


def test_no_entry_is_fuzzy(catalogue):
    fuzzy = catalogue.fuzzy_entries()
    assert not fuzzy, report("fuzzy entries (check the translation, then drop the fuzzy flag)", fuzzy)


def test_no_entry_is_obsolete(catalogue):
    obsolete = catalogue.obsolete_entries()
    assert not obsolete, report("obsolete (#~) entries (delete them)", obsolete)


def test_translations_keep_the_placeholders_of_their_source(catalogue):
    """A lost "%(name)s" or "{name}" shows a raw placeholder or raises; msgfmt -c checks only the C formats."""

    placeholder = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")
    wrong = [
        e
        for e in catalogue.translated_entries()
        if any(sorted(placeholder.findall(s)) != sorted(placeholder.findall(e.msgid)) for s in translations(e)[:1])
    ]
    assert not wrong, report("translations whose placeholders differ from the English", wrong)


def test_compiled_catalogue_matches_the_po_file(catalogue):
    """The .mo Django reads holds exactly the .po's translations: recompile after every edit."""
    assert MO.exists(), f"{MO} is missing: run msgfmt -c -o {MO} {PO}"
    compiled = {key(e): translations(e) for e in polib.mofile(str(MO)) if e.msgid}
    source = {key(e): translations(e) for e in catalogue.translated_entries()}
    stale = sorted(k for k in source.keys() | compiled.keys() if source.get(k) != compiled.get(k))
    assert not stale, (
        f"{len(stale)} entries differ between django.po and django.mo; recompile with "
        f"`msgfmt -c -o {MO.relative_to(settings.BASE_DIR)} {PO.relative_to(settings.BASE_DIR)}`:\n"
        + "\n".join(f"  {msgid!r}" for _ctx, msgid in stale[:40])
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_catalogue_passes_msgfmt_checks(tmp_path):
    result = subprocess.run(
        ["msgfmt", "-c", "-o", str(tmp_path / "django.mo"), str(PO)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_every_string_the_source_wraps_is_in_the_catalogue(tmp_path, catalogue):
    """makemessages on a copy of the source (never in place): any msgid it finds that we lack fails."""
    copy = tmp_path / "src"
    copy.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "migrations")
    for source in settings.BASE_DIR.iterdir():
        name = source.name
        if name in NOT_SOURCES or name.startswith("."):
            continue
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=ignore)
        else:
            shutil.copy2(source, copy / name)
    (copy / "locale" / "vi" / "LC_MESSAGES").mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete", "--no-wrap", "-v", "0"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        env={**_environ(), "PYTHONPATH": str(copy)},
    )
    assert result.returncode == 0, result.stderr
    extracted = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    ours = {key(e) for e in catalogue if not e.obsolete}
    missing = [e for e in extracted if key(e) not in ours]
    assert not missing, report(
        "msgids wrapped in the source but missing from the catalogue (add them with Vietnamese; see docs/i18n.md)",
        missing,
    ).replace("in locale/vi/LC_MESSAGES/django.po", "")


def _environ() -> dict[str, str]:

    # The copy has no .env and no var/: settings fall back to their developer defaults under the copy.
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

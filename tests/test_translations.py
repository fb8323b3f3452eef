"""The Vietnamese catalogues (django, and djangojs for the admin's JavaScript): complete, compiled, and carrying
every string the source wraps for translation."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"
# The admin's JavaScript words Django's vi catalogue lacks, written by hand (see docs/i18n.md).
CATALOGUES = {"django": PO, "djangojs": PO.with_name("djangojs.po")}
# What `make messages` reads for the "django" domain is every .py, .html and .txt of the checkout; the copy
# leaves out what holds none of them (or must not be read: the virtualenv, var/, the catalogue itself).
NOT_SOURCES = {"var", "locale", "static", "docs", "node_modules", "staticfiles"}  # and every .hidden one


def where(entry: polib.POEntry) -> str:
    places = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3]) or "no source reference"
    more = f" (+{len(entry.occurrences) - 3} more)" if len(entry.occurrences) > 3 else ""
    context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
    return f"  {context}{entry.msgid!r}  — {places}{more}"


def report(title: str, entries: list[polib.POEntry], po=PO) -> str:
    return f"{len(entries)} {title} in {po.relative_to(settings.BASE_DIR)}:\n" + "\n".join(map(where, entries))


def key(entry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def translations(entry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


@pytest.fixture(scope="module", params=list(CATALOGUES))
def catalogue(request) -> polib.POFile:
    return polib.pofile(str(CATALOGUES[request.param]))


def path_of(catalogue: polib.POFile) -> Path:
    return Path(catalogue.fpath)


def test_every_entry_is_translated(catalogue):
    missing = [e for e in catalogue if not e.obsolete and not e.fuzzy and not e.translated()]
    assert not missing, report("untranslated entries", missing, path_of(catalogue))


def test_no_entry_is_fuzzy(catalogue):
    fuzzy = catalogue.fuzzy_entries()
    assert not fuzzy, report(
        "fuzzy entries (check the translation, then drop the fuzzy flag)", fuzzy, path_of(catalogue)
    )


def test_no_entry_is_obsolete(catalogue):
    obsolete = catalogue.obsolete_entries()
    assert not obsolete, report("obsolete (#~) entries (delete them)", obsolete, path_of(catalogue))


def test_translations_keep_the_placeholders_of_their_source(catalogue):
    """A lost "%(name)s" or "{name}" shows a raw placeholder or raises; msgfmt -c checks only the C formats."""

    placeholder = re.compile(r"%\(\w+\)[sdif]|\{\w*\}")
    wrong = [
        e
        for e in catalogue.translated_entries()
        if any(sorted(placeholder.findall(s)) != sorted(placeholder.findall(e.msgid)) for s in translations(e)[:1])
    ]
    assert not wrong, report("translations whose placeholders differ from the English", wrong, path_of(catalogue))


def test_compiled_catalogue_matches_the_po_file(catalogue):
    """The .mo Django reads holds exactly the .po's translations: recompile after every edit."""
    po = path_of(catalogue)
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run msgfmt -c -o {mo} {po}"
    compiled = {key(e): translations(e) for e in polib.mofile(str(mo)) if e.msgid}
    source = {key(e): translations(e) for e in catalogue.translated_entries()}
    stale = sorted(k for k in source.keys() | compiled.keys() if source.get(k) != compiled.get(k))
    assert not stale, (
        f"{len(stale)} entries differ between {po.name} and {mo.name}; recompile with "
        f"`msgfmt -c -o {mo.relative_to(settings.BASE_DIR)} {po.relative_to(settings.BASE_DIR)}`:\n"
        + "\n".join(f"  {msgid!r}" for _ctx, msgid in stale[:40])
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("po", CATALOGUES.values(), ids=CATALOGUES.keys())
def test_catalogue_passes_msgfmt_checks(tmp_path, po):
    result = subprocess.run(
        ["msgfmt", "-c", "-o", str(tmp_path / "out.mo"), str(po)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_every_string_the_source_wraps_is_in_the_catalogue(tmp_path):
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
    ours = {key(e) for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = [e for e in extracted if key(e) not in ours]
    assert not missing, report(
        "msgids wrapped in the source but missing from the catalogue (add them with Vietnamese; see docs/i18n.md)",
        missing,
    ).replace("in locale/vi/LC_MESSAGES/django.po", "")


def _environ() -> dict[str, str]:

    # The copy has no .env and no var/: settings fall back to their developer defaults under the copy.
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

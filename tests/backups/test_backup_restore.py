"""`manage.py backup`: one archive holding every row and file of a populated portal, described by its manifest."""

import hashlib
import io
import json
import os
import re
import shutil
import stat
import tarfile
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from cases.services import case_clear, case_transition, party_add
from portal.accounts.models import User
from portal.oversight.services import document_attach
from tests.conftest import skip_or_fail
from tests.factories import make_case
from tests.oversight.inspection_fixtures import make_inspection

TODAY = date(2026, 6, 1)
DAY = date(2026, 3, 10)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PG_TOOLS = ("pg_dump", "pg_restore", "psql")
# A backup does not run inside a transaction (pg_dump, another process, sees committed rows only): the
# tests that write an archive are transactional; the refusals are plain `db` tests, since flushing
# PostgreSQL after each transactional test costs seconds.
TRANSACTIONAL = pytest.mark.django_db(transaction=True)
EXT = {"sqlite": "sqlite3", "postgresql": "pgdump"}  # the database dump in the archive: database.<EXT>


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


@pytest.fixture(autouse=True)
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


@pytest.fixture(autouse=True)
def postgresql_tools():
    """The PostgreSQL run needs the client programs; CI (PORTAL_REQUIRE_SERVICES=1) fails without them."""
    missing = [tool for tool in PG_TOOLS if shutil.which(tool) is None]
    if connection.vendor == "postgresql" and missing:
        skip_or_fail(f"{', '.join(missing)} not installed (Debian: apt-get install postgresql-client)")


def only_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        # Not a missing server: the suite runs on SQLite here, and runs again on PostgreSQL (CI does both).
        pytest.skip("pg_dump runs only when the database is PostgreSQL; this run's database is SQLite")


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def all_rows() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    with connection.cursor() as cursor:
        rows = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


def all_files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", output=path, stdout=out)
    return out.getvalue()


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


@pytest.fixture
def portal_data(tree, make_user):
    """Units, users, a case with parties and timeline events, an inspection with an uploaded document."""
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn")
    inspector = make_user(User.Role.INSPECTOR, tree.thai_nguyen, username="kt.tn")
    make_user(User.Role.LEADER, tree.root, username="lanhdao.tw")
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=DAY, handling_unit=tree.thai_nguyen)
    party_add(case=case, actor=officer, role="suspect", full_name="Nguyễn Văn An", id_number="001203004567")
    party_add(case=case, actor=officer, role="victim", full_name="Trần Thị Bình", birth_year=1975)
    case = case_transition(case=case, to="investigating", on=DAY, actor=officer, version=case.version)
    case_clear(case=case, on=DAY, actor=officer, version=case.version, note="Đã xác định đối tượng")
    make_case(actor=officer, unit=tree.pho_yen, recorded_on=DAY, title="Cướp giật tài sản")
    inspection = make_inspection(inspector, tree.thai_nguyen, [tree.pho_yen])
    document = document_attach(
        inspection=inspection, actor=inspector, uploaded_file=SimpleUploadedFile("Biên bản kiểm tra.pdf", PDF)
    )
    # A file of another kind and folder, with a Vietnamese name.
    other = media_root() / "imports" / "Báo cáo tháng 9.xlsx"
    other.parent.mkdir(parents=True)
    other.write_bytes(b"PK\x03\x04 not really a workbook")
    return {"officer": officer, "document": document, "other": other}


@TRANSACTIONAL
def test_the_manifest_describes_every_table_and_file(portal_data, tmp_path):
    counts = {table: len(rows) for table, rows in all_rows().items()}
    files = all_files(media_root())
    assert counts["cases_party"] == 2 and counts["cases_caseevent"] and counts["oversight_inspectiondocument"]
    archive = tmp_path / "portal.tar.gz"

    out = backup(archive)

    assert f"Backup written to {archive}" in out and "media: 2 files" in out
    contents = members(archive)
    manifest = json.loads(contents["manifest.json"])
    assert manifest["format_version"] == 1 and datetime.fromisoformat(manifest["created_at"]).utcoffset() is not None
    assert manifest["row_counts"] == counts
    assert manifest["migrations"]["cases"].startswith("0") and "oversight" in manifest["migrations"]
    database = manifest["database"]
    dump = contents[database["file"]]
    assert database["vendor"] == connection.vendor and database["file"] == f"database.{EXT[connection.vendor]}"
    assert (database["size"], database["sha256"]) == (len(dump), hashlib.sha256(dump).hexdigest())
    assert manifest["media"] == {
        name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in files.items()
    }
    assert {name: contents[f"media/{name}"] for name in files} == files


@TRANSACTIONAL
def test_the_default_archive_is_private_and_holds_regular_files_only(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not an upload")
    (media_root() / "link.txt").symlink_to(outside)
    (media_root() / "real.txt").write_text("an upload")
    err = io.StringIO()
    call_command("backup", stdout=io.StringIO(), stderr=err)
    (archive,) = settings.BACKUP_DIR.iterdir()  # and no temporary file beside it
    assert re.fullmatch(r"portal-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds personal data and password hashes
    assert sorted(members(archive)) == [f"database.{EXT[connection.vendor]}", "manifest.json", "media/real.txt"]
    assert "not archived (not a regular file): link.txt" in err.getvalue()


def test_an_existing_file_is_not_overwritten(db, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    archive.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="exists already"):
        backup(archive)
    assert archive.read_bytes() == b"yesterday's backup"


@TRANSACTIONAL
def test_a_failed_write_leaves_no_archive_behind(db, tmp_path, monkeypatch):
    (media_root() / "a.pdf").write_bytes(PDF)
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(CommandError, match="No space left on device"):
        backup(out_dir / "portal.tar.gz")
    assert list(out_dir.iterdir()) == []


@TRANSACTIONAL
def test_a_failing_pg_dump_leaves_no_archive_behind(db, tmp_path, monkeypatch):
    only_on_postgresql()
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "pg_dump").write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$a" in --file=*) echo half > "${a#--file=}";; esac; done\n'
        'echo "pg_dump: error: query failed: server closed the connection" >&2\n'
        "exit 1\n"
    )
    (fake / "pg_dump").chmod(0o755)
    monkeypatch.setenv("PATH", str(fake))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(CommandError, match=r"pg_dump failed \(exit status 1\): .*server closed the connection"):
        backup(out_dir / "portal.tar.gz")
    assert list(out_dir.iterdir()) == []


def test_a_missing_pg_dump_is_a_clear_refusal(db, tmp_path, monkeypatch):
    only_on_postgresql()
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found on PATH"):
        backup(tmp_path / "portal.tar.gz")
    assert not (tmp_path / "portal.tar.gz").exists()


def test_backup_dir_inside_media_root_is_refused(db, settings, tmp_path):
    settings.BACKUP_DIR = media_root() / "backups"
    with pytest.raises(CommandError, match="BACKUP_DIR .* lies inside MEDIA_ROOT"):
        call_command("backup", stdout=io.StringIO())
    assert not settings.BACKUP_DIR.exists()

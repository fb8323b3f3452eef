"""`manage.py backup` and `restore`: a populated portal comes back row for row and byte for byte; a damaged,
unsafe or foreign archive is refused before anything changes."""

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
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from cases.models import Case, Party
from cases.services import case_clear, case_transition, party_add
from portal.accounts.models import User
from portal.oversight.models import InspectionDocument
from portal.oversight.services import document_attach
from tests.conftest import skip_or_fail
from tests.factories import make_case
from tests.oversight.inspection_fixtures import make_inspection

TODAY = date(2026, 6, 1)
DAY = date(2026, 3, 10)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PG_TOOLS = ("pg_dump", "pg_restore", "psql")
# Neither command runs inside a transaction (pg_dump and psql, other processes, see committed rows only):
# the tests that back up or restore are transactional. Flushing PostgreSQL after such a test costs
# seconds, so the refusals are plain `db` tests on copies of `module_archive`, made once outside any test.
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


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}


def rewrite(path: Path, dest: Path, *, manifest=None, replace=None, drop=(), prepend=()) -> Path:
    """A copy of the archive with its manifest edited, members replaced or dropped, or raw members put first."""
    contents = members(path)
    data = json.loads(contents["manifest.json"])
    if manifest:
        manifest(data)
    contents["manifest.json"] = json.dumps(data).encode()
    contents.update(replace or {})
    with tarfile.open(dest, "w:gz") as tar:
        for info, data in prepend:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
        for name, content in contents.items():
            if name not in drop:
                info = tarfile.TarInfo(name)
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    return dest


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
    document_attach(
        inspection=inspection, actor=inspector, uploaded_file=SimpleUploadedFile("Biên bản kiểm tra.pdf", PDF)
    )
    # A file of another kind and folder, with a Vietnamese name.
    other = media_root() / "imports" / "Báo cáo tháng 9.xlsx"
    other.parent.mkdir(parents=True)
    other.write_bytes(b"PK\x03\x04 not really a workbook")
    return {"officer": officer, "other": other}


@TRANSACTIONAL
def test_restore_brings_back_every_row_and_file_and_nothing_else(portal_data, tmp_path, make_user, tree):
    rows, files = all_rows(), all_files(media_root())
    assert rows["cases_party"] and rows["cases_caseevent"] and rows["oversight_inspectiondocument"]
    assert len(files) == 2
    archive = tmp_path / "portal.tar.gz"

    out = backup(archive)

    assert f"Backup written to {archive}" in out and "media: 2 files" in out
    contents = members(archive)
    manifest = json.loads(contents["manifest.json"])
    assert manifest["format_version"] == 1 and datetime.fromisoformat(manifest["created_at"]).utcoffset() is not None
    assert manifest["row_counts"] == {table: len(r) for table, r in rows.items()}
    assert manifest["migrations"]["cases"].startswith("0") and "oversight" in manifest["migrations"]
    database = manifest["database"]
    dump = contents[database["file"]]
    assert database["vendor"] == connection.vendor and database["file"] == f"database.{EXT[connection.vendor]}"
    assert (database["size"], database["sha256"]) == (len(dump), hashlib.sha256(dump).hexdigest())
    assert manifest["media"] == {
        name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()} for name, data in files.items()
    }
    assert {name: contents[f"media/{name}"] for name in files} == files

    # Everything changes after the backup: rows deleted, edited and added, files deleted, altered and added,
    # and a table such as a newer migration makes, referring to one the restore replaces.
    Party.objects.filter(full_name="Trần Thị Bình").delete()
    Case.objects.update(title="Sửa sau khi sao lưu")
    document = InspectionDocument.objects.get()
    document_path = Path(document.file.path)
    document.delete()
    document_path.unlink()
    portal_data["other"].write_bytes(b"changed")
    (media_root() / "oversight" / "new.pdf").write_bytes(PDF)
    make_user(User.Role.VIEWER, tree.ha_noi, username="moi.sau.sao.luu")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {quote('newer_feature')} (id integer PRIMARY KEY, "
            f"user_id bigint REFERENCES {quote('accounts_user')} (id))"
        )
        cursor.execute(f"INSERT INTO {quote('newer_feature')} VALUES (1, %s)", [portal_data["officer"].pk])
    assert all_rows() != rows

    out = restore(archive, "--yes")

    assert "Every table has the row count of the manifest." in out
    assert "2 files under" in out and "(1 file not in the archive removed)" in out
    assert all_rows() == rows
    assert all_files(media_root()) == files
    assert not User.objects.filter(username="moi.sau.sao.luu").exists()
    assert "newer_feature" not in connection.introspection.table_names()
    assert list(settings.BACKUP_DIR.iterdir()) == []  # the staging folder is gone


@TRANSACTIONAL
def test_restore_reports_a_row_count_that_differs_from_the_manifest(module_archive, tmp_path):
    def one_category_more(manifest):
        manifest["row_counts"]["cases_category"] += 1

    edited = rewrite(module_archive, tmp_path / "edited.tar.gz", manifest=one_category_more)
    with pytest.raises(CommandError, match=r"Row counts differ from the manifest in 1 table"):
        restore(edited, "--yes")


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
    assert "not archived: link.txt (a link)" in err.getvalue()


def test_neither_command_runs_inside_a_transaction(archive, tmp_path):
    with transaction.atomic():
        with pytest.raises(CommandError, match="A backup cannot run inside a transaction"):
            backup(tmp_path / "again.tar.gz")
        with pytest.raises(CommandError, match="A restore cannot run inside a transaction"):
            restore(archive, "--yes")
    assert not (tmp_path / "again.tar.gz").exists()


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


# --- Refusals: each one before anything is touched -----------------------------------------------------


@pytest.fixture(scope="module")
def module_archive(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """A backup of the test database (as migrated) with one uploaded file, made outside any test transaction."""
    media = tmp_path_factory.mktemp("archived-media")
    (media / "oversight").mkdir()
    (media / "oversight" / "a.pdf").write_bytes(PDF)
    path = tmp_path_factory.mktemp("archive") / "portal.tar.gz"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, BACKUP_DIR=path.parent):
        call_command("backup", output=path, stdout=io.StringIO())
    return path


@pytest.fixture
def archive(module_archive, tree, tmp_path) -> Path:
    """A copy of the module's archive; the live rows and files differ from it, so a restore would show."""
    (media_root() / "oversight").mkdir()
    (media_root() / "oversight" / "a.pdf").write_bytes(PDF + b"edited")
    (media_root() / "other.pdf").write_bytes(PDF)
    return Path(shutil.copy(module_archive, tmp_path / "portal.tar.gz"))


def refused(path: Path, message: str) -> None:
    """The restore is refused with `message`; the database, the files and BACKUP_DIR are as they were."""
    rows, files = all_rows(), all_files(media_root())
    with pytest.raises(CommandError, match=message):
        restore(path, "--yes")
    assert all_rows() == rows
    assert all_files(media_root()) == files
    assert not list(settings.BACKUP_DIR.glob(".portal-restore-*"))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ({"replace": {"media/oversight/a.pdf": PDF.replace(b"1.4", b"1.5")}}, "checksum mismatch: media/oversight/a"),
        ({"replace": {"media/oversight/b.pdf": PDF}}, "not in the manifest: media/oversight/b.pdf"),
        ({"drop": ["media/oversight/a.pdf"]}, "missing media/oversight/a.pdf"),
        ({"drop": ["manifest.json"]}, "has no manifest.json"),
    ],
    ids=["altered file", "extra file", "missing file", "no manifest"],
)
def test_a_damaged_archive_is_refused_and_nothing_changes(archive, tmp_path, damage, message):
    refused(rewrite(archive, tmp_path / "damaged.tar.gz", **damage), message)


def test_a_damaged_database_dump_is_refused(archive, tmp_path):
    name = f"database.{EXT[connection.vendor]}"
    dump = bytearray(members(archive)[name])
    dump[len(dump) // 2] ^= 0xFF
    refused(rewrite(archive, tmp_path / "damaged.tar.gz", replace={name: bytes(dump)}), f"checksum mismatch: {name}")


def test_a_truncated_archive_is_refused(archive, tmp_path):
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    refused(cut, "could not be unpacked")


def member(name: str, kind=tarfile.REGTYPE, data: bytes | None = b"pwned", target: str = ""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    info.size = len(data) if data is not None and kind == tarfile.REGTYPE else 0
    return info, data if kind == tarfile.REGTYPE else None


@pytest.mark.parametrize(
    ("evil", "message"),
    [
        (member("../../evil.txt"), "unsafe member name '../../evil.txt'"),
        (member("media/../../evil.txt"), "unsafe member name"),
        (member("/tmp/portal-138-evil.txt"), "unsafe member name '/tmp/portal-138-evil.txt'"),
        (member("media/oversight/./a.pdf"), "unsafe member name"),
        (member("media/evil.txt", tarfile.SYMTYPE, target="/etc/passwd"), "holds a link 'media/evil.txt'"),
        (member("media/evil.txt", tarfile.LNKTYPE, target="manifest.json"), "holds a link"),
        (member("media/evil", tarfile.FIFOTYPE), "holds a special file"),
        (member("evil.txt"), "unexpected member 'evil.txt'"),
    ],
    ids=["dot-dot", "dot-dot under media", "absolute", "dot", "symlink", "hard link", "fifo", "unknown name"],
)
def test_members_that_could_land_outside_are_refused(archive, tmp_path, evil, message):
    refused(rewrite(archive, tmp_path / "x.tar.gz", prepend=[evil]), message)
    assert not list(tmp_path.rglob("evil*")) and not Path("/tmp/portal-138-evil.txt").exists()


def test_an_archive_of_another_database_vendor_is_refused(archive, tmp_path):
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[connection.vendor]

    def from_other_vendor(manifest):
        manifest["database"]["vendor"] = other

    edited = rewrite(archive, tmp_path / "other.tar.gz", manifest=from_other_vendor)
    refused(edited, f"holds a {other} database and this portal runs on {connection.vendor}")


def test_an_archive_with_newer_migrations_is_refused(archive, tmp_path):
    def from_a_newer_portal(manifest):
        manifest["migrations"]["cases"] = "0999_from_a_newer_portal"
        manifest["migrations"]["future_app"] = "0001_initial"

    edited = rewrite(archive, tmp_path / "newer.tar.gz", manifest=from_a_newer_portal)
    refused(edited, r"newer version of the portal: .*cases\.0999_from_a_newer_portal, future_app\.0001_initial")


def test_an_archive_with_older_migrations_passes_the_check(archive, tmp_path):
    def from_an_older_portal(manifest):
        manifest["migrations"]["cases"] = "0001_initial"

    edited = rewrite(archive, tmp_path / "older.tar.gz", manifest=from_an_older_portal)
    rows, files = all_rows(), all_files(media_root())
    out = restore(edited, "--check")
    assert "can be restored here" in out and "1 file" in out
    assert all_rows() == rows and all_files(media_root()) == files


def test_without_yes_the_operator_must_confirm(archive, monkeypatch):
    answers = []
    monkeypatch.setattr("builtins.input", lambda prompt: answers.append(prompt) or "no")
    rows, files = all_rows(), all_files(media_root())
    with pytest.raises(CommandError, match="Restore cancelled: nothing was changed"):
        restore(archive)
    assert answers == ["Type 'yes' to restore: "]
    assert all_rows() == rows and all_files(media_root()) == files


def test_backup_dir_inside_media_root_is_refused(db, settings, tmp_path):
    settings.BACKUP_DIR = media_root() / "backups"
    with pytest.raises(CommandError, match="BACKUP_DIR .* lies inside MEDIA_ROOT"):
        call_command("backup", stdout=io.StringIO())
    assert not settings.BACKUP_DIR.exists()

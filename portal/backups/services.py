"""Backup and restore of the whole portal: the database and every uploaded file, in one checked archive."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from . import database
from .archive import MANIFEST, MEDIA, ArchiveWriter, Manifest, check_contents, media_files, safe_name, unpack
from .database import DUMP_NAMES, BackupError

__all__ = ["BackupError", "BackupResult", "RestoreResult", "backup_create", "restore_prepare"]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: Manifest
    passed_over: list[str]  # media entries not archived, and why: links, special files, files deleted meanwhile


@dataclass(frozen=True)
class RestoreResult:
    files_restored: int
    files_removed: int
    counts_differ: dict[str, tuple[int | None, int | None]]  # table -> (in the manifest, in the database now)
    pending_migrations: list[str]


def default_name(created_at: datetime) -> str:
    return f"portal-{created_at:%Y%m%d-%H%M%S}.tar.gz"


def backup_create(*, output: Path | None = None) -> BackupResult:
    """Write one archive of the database and MEDIA_ROOT to `output` (a file, or a folder for the default name).

    The archive appears under its final name only when complete: it is written to a hidden temporary
    file in the same folder, synced, then renamed. Any failure removes the temporary file.
    """
    database.supported(connection, tools=("pg_dump",))
    created_at = timezone.localtime()
    target = Path(output) if output else Path(settings.BACKUP_DIR)
    if not output or target.is_dir():
        target = target / default_name(created_at)
    _check_layout(output=target)
    if target.exists():
        raise BackupError(f"{target} exists already: name another file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    fd, partial_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    partial = Path(partial_name)  # mode 0600: the archive holds personal data and password hashes
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            tempfile.TemporaryDirectory(dir=target.parent, prefix=".portal-backup-") as work,
        ):
            dump_path = Path(work) / DUMP_NAMES[connection.vendor]
            # The database first, then the files: a document uploaded meanwhile is archived without its
            # row (harmless), and a row of the snapshot finds its file (files are written before rows).
            state = database.dump(connection, dump_path)
            files, passed_over = media_files(media_root)
            with ArchiveWriter(raw) as writer:
                db_entry = writer.add_file(dump_path, dump_path.name)
                media = {}
                for name, path in files:
                    try:
                        media[name] = writer.add_file(path, f"{MEDIA}/{name}")
                    except FileNotFoundError:
                        passed_over.append(f"{name} (deleted during the backup)")
                manifest = Manifest(
                    created_at=created_at.isoformat(timespec="seconds"),
                    vendor=connection.vendor,
                    database_file=dump_path.name,
                    database=db_entry,
                    migrations=state.migrations,
                    row_counts=state.row_counts,
                    media=media,
                )
                writer.add_bytes(manifest.to_json(), MANIFEST, int(created_at.timestamp()))
            raw.flush()
            os.fsync(raw.fileno())
        if target.exists():
            raise BackupError(f"{target} appeared while the backup was written: name another file.")
        partial.replace(target)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, DatabaseError):
            raise BackupError(f"The database could not be read: {exc}") from exc
        if isinstance(exc, OSError):
            raise BackupError(f"Writing {target} failed (nothing was kept): {exc}") from exc
        raise
    return BackupResult(path=target, size=target.stat().st_size, manifest=manifest, passed_over=passed_over)


class PreparedRestore:
    """An archive unpacked and checked in a staging folder; `apply()` replaces the live data with it."""

    def __init__(self, *, archive: Path, staging: Path, manifest: Manifest) -> None:
        self.archive, self.staging, self.manifest = archive, staging, manifest

    def apply(self) -> RestoreResult:
        manifest = self.manifest
        # The database first: it is replaced in one transaction, so a failure there changes nothing.
        database.load(connection, self.staging / manifest.database_file, keep_tables=manifest.row_counts)
        # Ids cached in this process and figures in the shared cache describe the replaced data.
        ContentType.objects.clear_cache()
        cache.clear()
        restored, removed = _media_replace(self.staging / MEDIA, Path(settings.MEDIA_ROOT), set(manifest.media))
        with connection.cursor() as cursor:
            now = database.read_state(connection, cursor).row_counts
        differ = {
            table: (manifest.row_counts.get(table), now.get(table))
            for table in sorted(manifest.row_counts.keys() | now.keys())
            if manifest.row_counts.get(table) != now.get(table)
        }
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return RestoreResult(
            files_restored=restored,
            files_removed=removed,
            counts_differ=differ,
            pending_migrations=[f"{migration.app_label}.{migration.name}" for migration, _backwards in plan],
        )


@contextmanager
def restore_prepare(*, archive: Path) -> Iterator[PreparedRestore]:
    """Unpack `archive` into a staging folder under BACKUP_DIR and check all of it; nothing live is touched.

    Refused (BackupError): unsafe or unexpected members, a missing manifest, a file whose size or SHA-256
    differs from the manifest, another database vendor, migrations this code does not have, a dump the
    local tools cannot read. The staging folder is removed when the block ends.
    """
    database.supported(connection, tools=("pg_restore", "psql"))
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"No such archive: {archive}")
    _check_layout(archive=archive)
    backup_dir = Path(settings.BACKUP_DIR)
    backup_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=backup_dir, prefix=".portal-restore-") as work:
        staging = Path(work)
        found = unpack(archive, staging)
        manifest = Manifest.from_json((staging / MANIFEST).read_bytes())
        check_contents(manifest, found)
        _check_compatible(manifest)
        database.check_dump(connection, staging / manifest.database_file)
        _check_media_targets(manifest)
        yield PreparedRestore(archive=archive, staging=staging, manifest=manifest)


def _check_compatible(manifest: Manifest) -> None:
    if manifest.vendor != connection.vendor or manifest.database_file != DUMP_NAMES[connection.vendor]:
        raise BackupError(
            f"The archive holds a {manifest.vendor} database and this portal runs on {connection.vendor}: "
            f"restore it where DATABASE_URL names a {manifest.vendor} database. Nothing was changed."
        )
    unknown = migrations_unknown(manifest.migrations)
    if unknown:
        raise BackupError(
            "The archive was made by a newer version of the portal: this code does not have its migration"
            f"{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}. Deploy that version, then restore. "
            "Nothing was changed."
        )


def migrations_unknown(applied: dict[str, str]) -> list[str]:
    """The app.migration names (latest applied per app) that this code's migrations do not include."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.replacements.values():
        known.update(migration.replaces)  # squashed away here, but older than what replaced them
    return [f"{app}.{name}" for app, name in sorted(applied.items()) if (app, name) not in known]


def _check_layout(**paths: Path) -> None:
    """Refuse a set-up where something the backup keeps lies inside MEDIA_ROOT: restore replaces every file there."""
    root = Path(settings.MEDIA_ROOT).resolve()
    candidates = {"BACKUP_DIR": Path(settings.BACKUP_DIR), **paths}
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        candidates["the SQLite database"] = Path(connection.settings_dict["NAME"])
    for label, path in candidates.items():
        if path.resolve().is_relative_to(root):
            raise BackupError(
                f"{label} ({path}) lies inside MEDIA_ROOT ({root}), whose every file a restore replaces: "
                "keep it outside."
            )


def _check_media_targets(manifest: Manifest) -> None:
    """Every file lands inside MEDIA_ROOT, even where a folder under it is a link to elsewhere."""
    media_root = Path(settings.MEDIA_ROOT)
    root = media_root.resolve()
    for name in manifest.media:
        target = media_root.joinpath(*safe_name(name).parts)
        if not target.resolve().is_relative_to(root):
            raise BackupError(f"{name} would be written outside MEDIA_ROOT ({root}): refused, nothing was changed.")


def _media_replace(staged: Path, media_root: Path, names: set[str]) -> tuple[int, int]:
    """MEDIA_ROOT ends up holding exactly the archive's files: (files restored, files removed)."""
    media_root.mkdir(parents=True, exist_ok=True)
    current, _links = media_files(media_root)
    # Files the archive does not have go first, so none of them stands where a restored folder must be.
    removed = [path for name, path in current if name not in names]
    for path in removed:
        path.unlink()
    for dirpath, _dirnames, _filenames in os.walk(media_root, topdown=False):
        if Path(dirpath) != media_root:
            with suppress(OSError):  # not empty (or a link): kept
                Path(dirpath).rmdir()
    for name in sorted(names):
        parts = safe_name(name).parts
        target = media_root.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staged.joinpath(*parts), target)  # a rename when on the same filesystem
    return len(names), len(removed)


def count_text(n: int, noun: str) -> str:
    """(1, 'file') -> '1 file'; (1234, 'row') -> '1,234 rows'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def size_text(n: int) -> str:
    """1536 -> '1.5 kB', in English like the rest of the operators' output."""
    if n < 1024:
        return f"{n} bytes"
    value, unit = n / 1024, "kB"
    for bigger in ("MB", "GB", "TB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"

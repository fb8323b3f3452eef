"""Backup of the whole portal: the database and every uploaded file, in one checked archive."""

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from . import database
from .archive import MANIFEST, MEDIA, ArchiveWriter, Manifest, media_files
from .database import DUMP_NAMES, BackupError

__all__ = ["BackupError", "BackupResult", "backup_create"]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: Manifest
    passed_over: list[str]  # media entries not archived: links, special files, files deleted meanwhile


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

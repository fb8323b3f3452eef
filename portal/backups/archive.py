"""The backup archive: one .tar.gz holding the database dump, media/… and manifest.json, checked on the way in.

The manifest is written last, so every file is read once and hashed as it is archived. Reading
unpacks into a staging folder and refuses, before anything live is touched, a member that could
land outside it (absolute names, "..", links, devices), a member the manifest does not list, and
a file whose size or SHA-256 differs from the manifest's.
"""

import hashlib
import io
import json
import os
import tarfile
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from .database import DUMP_NAMES, BackupError

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
CHUNK = 1024 * 1024
LISTED = 5  # names quoted in an error message; the rest are counted


@dataclass(frozen=True)
class Entry:
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What the archive holds and the state it was taken in (see docs/operations.md)."""

    created_at: str
    vendor: str
    database_file: str
    database: Entry
    migrations: dict[str, str]
    row_counts: dict[str, int]
    media: dict[str, Entry] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        data = {
            "format_version": self.format_version,
            "created_at": self.created_at,
            "database": {"vendor": self.vendor, "file": self.database_file, **asdict(self.database)},
            "migrations": self.migrations,
            "row_counts": self.row_counts,
            "media": {name: asdict(entry) for name, entry in sorted(self.media.items())},
        }
        return json.dumps(data, indent=2, ensure_ascii=False).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> "Manifest":
        try:
            data = json.loads(raw)
            version = data["format_version"]
            if version != FORMAT_VERSION:
                raise BackupError(
                    f"The archive's format version is {version!r}; this portal reads version {FORMAT_VERSION}."
                )
            db = data["database"]
            manifest = cls(
                created_at=str(data["created_at"]),
                vendor=str(db["vendor"]),
                database_file=str(db["file"]),
                database=_entry(db),
                migrations={str(app): str(name) for app, name in data["migrations"].items()},
                row_counts={str(table): int(n) for table, n in data["row_counts"].items()},
                media={str(name): _entry(entry) for name, entry in data["media"].items()},
            )
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise BackupError(f"The archive's manifest is not valid ({type(exc).__name__}: {exc}).") from exc
        if manifest.database_file not in DUMP_NAMES.values():
            raise BackupError(f"The manifest names an unknown database file {manifest.database_file!r}.")
        return manifest

    @property
    def rows(self) -> int:
        return sum(self.row_counts.values())

    @property
    def media_bytes(self) -> int:
        return sum(entry.size for entry in self.media.values())


def _entry(data: dict) -> Entry:
    size, sha256 = data["size"], data["sha256"]
    if not isinstance(size, int) or not isinstance(sha256, str) or len(sha256) != 64:
        raise ValueError("a file entry needs an integer size and a 64-character sha256")
    return Entry(size=size, sha256=sha256)


class _HashingReader:
    """A file read through this is hashed on the way."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data

    def entry(self) -> Entry:
        return Entry(size=self.size, sha256=self.digest.hexdigest())


class ArchiveWriter:
    """Writes a .tar.gz to an open binary file (a context manager); add_file returns the size and SHA-256 of
    what it wrote."""

    def __init__(self, fileobj: BinaryIO) -> None:
        # Level 6: uploaded PDFs and photos are compressed already; 9 costs time and gains nothing on them.
        self.tar = tarfile.open(fileobj=fileobj, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT)  # noqa: SIM115 - closed by __exit__

    def __enter__(self) -> "ArchiveWriter":
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.tar.close()
            return
        with suppress(Exception):  # the half-written archive is thrown away; keep the first error
            self.tar.close()

    def add_file(self, path: Path, name: str) -> Entry:
        with path.open("rb") as raw:
            stat = os.fstat(raw.fileno())
            info = self._info(name, stat.st_size, int(stat.st_mtime))
            reader = _HashingReader(raw)
            # A file that shrinks meanwhile makes tarfile raise ("unexpected end of data"); one that grows
            # is archived up to the size taken here, and the hash covers exactly the bytes archived.
            self.tar.addfile(info, reader)
        return reader.entry()

    def add_bytes(self, data: bytes, name: str, mtime: int) -> None:
        self.tar.addfile(self._info(name, len(data), mtime), io.BytesIO(data))

    @staticmethod
    def _info(name: str, size: int, mtime: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, mtime, 0o600
        return info


def media_files(root: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """The regular files under root as (name relative to root, path), and what was passed over and why
    (links, sockets, ...). Symbolic links are neither followed nor archived: a link could reach anywhere."""
    files, passed_over = [], []
    if not root.is_dir():
        return files, passed_over
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        here = Path(dirpath)
        passed_over += [
            f"{(here / d).relative_to(root).as_posix()} (a link)" for d in dirnames if (here / d).is_symlink()
        ]
        for filename in sorted(filenames):
            path = here / filename
            name = path.relative_to(root).as_posix()
            if path.is_symlink():
                passed_over.append(f"{name} (a link)")
            elif not path.is_file():
                passed_over.append(f"{name} (not a regular file)")
            else:
                files.append((name, path))
    return files, passed_over


def safe_name(name: str) -> PurePosixPath:
    """A member name that stays inside the folder it is unpacked into, or BackupError."""
    parts = name.split("/")
    if not name or name.startswith("/") or any(part in ("", ".", "..") for part in parts) or "\x00" in name:
        raise BackupError(f"The archive holds an unsafe member name {name!r}: refused, nothing was changed.")
    return PurePosixPath(name)


def _member_path(member: tarfile.TarInfo, allowed_files: set[str]) -> PurePosixPath | None:
    """The member's checked name; None for a directory entry (directories are made as files need them)."""
    if not (member.isfile() or member.isdir()):
        kind = "link" if member.issym() or member.islnk() else "special file"
        raise BackupError(f"The archive holds a {kind} {member.name!r}: refused, nothing was changed.")
    path = safe_name(member.name)
    if member.isdir():
        if path.parts[0] != MEDIA:
            raise BackupError(f"The archive holds an unexpected folder {member.name!r}: refused.")
        return None
    if member.name not in allowed_files and (path.parts[0] != MEDIA or len(path.parts) < 2):
        raise BackupError(f"The archive holds an unexpected member {member.name!r}: refused.")
    return path


def unpack(archive: Path, into: Path) -> dict[str, Entry]:
    """Unpack the archive's members into `into` (an empty folder), hashing each; name -> what was found."""
    found: dict[str, Entry] = {}
    allowed_files = {MANIFEST, *DUMP_NAMES.values()}
    root = into.resolve()
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                path = _member_path(member, allowed_files)
                if path is None:
                    continue
                if member.name in found:
                    raise BackupError(f"The archive holds {member.name!r} twice: refused.")
                dest = root.joinpath(*path.parts)
                if not dest.resolve().is_relative_to(root):
                    raise BackupError(f"The archive member {member.name!r} would leave the staging folder.")
                dest.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                reader = _HashingReader(source)
                with dest.open("xb") as out:
                    while chunk := reader.read(CHUNK):
                        out.write(chunk)
                found[member.name] = reader.entry()
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"{archive} could not be unpacked (is it a .tar.gz backup archive?): {exc}") from exc
    if MANIFEST not in found:
        raise BackupError(f"{archive} has no {MANIFEST}: it is not a backup of this portal, or it is cut short.")
    return found


def check_contents(manifest: Manifest, found: dict[str, Entry]) -> None:
    """Every file the manifest lists is there with its size and SHA-256, and nothing else is."""
    expected = {manifest.database_file: manifest.database}
    expected |= {f"{MEDIA}/{name}": entry for name, entry in manifest.media.items()}
    present = {name: entry for name, entry in found.items() if name != MANIFEST}
    problems = [f"missing {name}" for name in sorted(expected.keys() - present.keys())]
    problems += [f"not in the manifest: {name}" for name in sorted(present.keys() - expected.keys())]
    problems += [
        f"checksum mismatch: {name}"
        for name in sorted(expected.keys() & present.keys())
        if expected[name] != present[name]
    ]
    if problems:
        shown = "; ".join(problems[:LISTED]) + (
            f"; and {len(problems) - LISTED} more" if len(problems) > LISTED else ""
        )
        raise BackupError(f"The archive does not match its manifest ({shown}): refused, nothing was changed.")

"""The activity file's columns and how their cells are read: dates, unit codes, formats and topics, counts.

Shared by the file import and the quick-entry table, so a value typed in either reads the same way.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from cases.importing.reading import cell_text
from cases.services import edition_in_force
from portal.dates import validate_plausible_date
from portal.units.models import Unit
from portal.units.text import search_key

from ..models import ActivityFormat, PropagandaProgram, Topic


def text_key(value) -> str:
    """Lower case, no diacritics, punctuation as spaces: "Hội nghị, họp dân" -> "hoi nghi hop dan"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", search_key(str(value))).split())


@dataclass(frozen=True)
class Column:
    field: str  # the service's name for it
    title: str  # the header the template writes, as committees name the column
    names: tuple[str, ...]  # other headers read as this column (compared as text_key)
    required: bool = True

    def header_keys(self) -> set[str]:
        return {text_key(self.title), *(text_key(n) for n in self.names)}


# The headers are the file's format, not interface text: the same Vietnamese words whatever the user's language.
COLUMNS = (
    Column("on", "Ngày", ("Ngày tổ chức", "Ngày thực hiện", "date", "on")),
    Column("unit", "Mã xã/phường", ("Mã xã", "Mã đơn vị", "Mã ĐVHC", "Mã xã/phường/đặc khu", "unit", "unit code")),
    Column("format", "Hình thức", ("Hình thức tuyên truyền", "format")),
    Column("topic", "Chủ đề", ("Nội dung tuyên truyền", "Chủ đề tuyên truyền", "topic")),
    Column("audience", "Số người tham dự", ("Số lượt người tham dự", "Số người", "audience")),
    Column("materials", "Tài liệu phát", ("Số tài liệu phát", "Tài liệu", "materials"), required=False),
    Column("note", "Ghi chú", ("note",), required=False),
)
COLUMN_TITLES = {c.field: c.title for c in COLUMNS}

# The Vietnamese names the template offers and the committees use; the codes and the English labels read too.
FORMAT_VI = {
    ActivityFormat.MEETING: "Hội nghị, họp dân",
    ActivityFormat.LOUDSPEAKER: "Loa truyền thanh",
    ActivityFormat.BROADCAST: "Phát thanh, truyền hình",
    ActivityFormat.SOCIAL_MEDIA: "Mạng xã hội",
    ActivityFormat.LEAFLETS: "Tờ rơi, tài liệu",
    ActivityFormat.SCHOOL: "Ngoại khóa tại trường học",
}
FORMAT_ALIASES = {
    ActivityFormat.MEETING: ("Họp", "Họp dân", "Hội nghị", "Buổi họp", "Tuyên truyền trực tiếp", "Tọa đàm"),
    ActivityFormat.LOUDSPEAKER: ("Loa", "Loa phát thanh", "Loa truyền thanh cơ sở", "Xe loa"),
    ActivityFormat.BROADCAST: ("Phát thanh", "Truyền hình", "Đài phát thanh", "Phát thanh truyền hình", "Radio", "TV"),
    ActivityFormat.SOCIAL_MEDIA: ("MXH", "Facebook", "Zalo", "Internet", "Trang mạng xã hội"),
    ActivityFormat.LEAFLETS: ("Tờ rơi", "Phát tờ rơi", "Tờ gấp", "Pa nô, áp phích", "Tài liệu"),
    ActivityFormat.SCHOOL: ("Ngoại khóa", "Trường học", "Buổi ngoại khóa", "Sinh hoạt ngoại khóa"),
}
TOPIC_VI = {
    Topic.CRIMINAL_TRICKS: "Phương thức, thủ đoạn của tội phạm",
    Topic.DRUGS: "Phòng, chống ma túy",
    Topic.TRAFFICKING: "Phòng, chống mua bán người",
    Topic.CYBER_FRAUD: "Lừa đảo trên không gian mạng",
    Topic.LEGAL_EDUCATION: "Phổ biến, giáo dục pháp luật",
    Topic.ALL_PEOPLE_MOVEMENT: "Phong trào toàn dân bảo vệ an ninh Tổ quốc",
}
TOPIC_ALIASES = {
    Topic.CRIMINAL_TRICKS: ("Thủ đoạn tội phạm", "Phương thức thủ đoạn", "Thủ đoạn của tội phạm"),
    Topic.DRUGS: ("Ma túy", "Phòng chống ma túy", "Tệ nạn ma túy"),
    Topic.TRAFFICKING: ("Mua bán người", "Phòng chống mua bán người"),
    Topic.CYBER_FRAUD: ("Lừa đảo qua mạng", "Lừa đảo trực tuyến", "Lừa đảo công nghệ cao", "Tội phạm mạng"),
    Topic.LEGAL_EDUCATION: ("Giáo dục pháp luật", "Phổ biến pháp luật", "PBGDPL", "Tuyên truyền pháp luật"),
    Topic.ALL_PEOPLE_MOVEMENT: (
        "Toàn dân bảo vệ an ninh Tổ quốc",
        "Phong trào toàn dân BVANTQ",
        "Toàn dân BVANTQ",
        "Phong trào toàn dân",
    ),
}


def _lookup(choices: type, vietnamese: dict, aliases: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    for value, label in choices.choices:
        names = [value, value.replace("_", " "), vietnamese[value], *aliases[value]]
        for language in ("en", "vi"):
            with translation.override(language):
                names.append(str(label))
        for name in names:
            found.setdefault(text_key(name), value)
    return found


def format_lookup() -> dict[str, str]:
    return _lookup(ActivityFormat, FORMAT_VI, FORMAT_ALIASES)


def topic_lookup() -> dict[str, str]:
    return _lookup(Topic, TOPIC_VI, TOPIC_ALIASES)


# --- Cells -------------------------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_GROUPED = re.compile(r"^\d{1,3}(?:[.,  ]\d{3})+$")


class CellError(ValueError):
    """A cell that cannot be read; the message says what to write instead."""


def read_date(value) -> date | None:
    """A real date cell, or text dd/mm/yyyy (also with - or .) or yyyy-mm-dd; None when empty."""
    if isinstance(value, datetime):
        return _plausible(value.date())
    if isinstance(value, date):
        return _plausible(value)
    if isinstance(value, int | float):
        # A bare number: an Excel date that lost its date format, or a typo; neither can be read safely.
        raise CellError(_("Not a date: write DD/MM/YYYY (or format the cell as a date)."))
    text = cell_text(value)
    if not text:
        return None
    parsed = None
    try:
        if m := _DMY.match(text):
            parsed = date(int(m[3]), int(m[2]), int(m[1]))
        elif m := _ISO.match(text):
            parsed = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise CellError(_("There is no such day: %(v)s.") % {"v": text}) from exc
    if parsed is None:
        raise CellError(_("Not a date: write DD/MM/YYYY (or format the cell as a date)."))
    return _plausible(parsed)


def _plausible(value: date) -> date:
    try:
        validate_plausible_date(value)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from exc
    return value


def read_count(value) -> int:
    """A whole number of people or materials: 1200, "1.200" or "1,200" as Vietnamese and English group digits."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise CellError(_("Write a whole number, 0 or more."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Write a whole number, 0 or more."))
        number = int(value)
    else:
        text = cell_text(value).replace(" ", "")
        if _GROUPED.match(text):
            text = re.sub(r"[.,  ]", "", text)
        if not text.isdigit():
            raise CellError(_("Write a whole number, 0 or more."))
        number = int(text)
    if number < 0:
        raise CellError(_("Write a whole number, 0 or more."))
    return number


def read_choice(value, lookup: dict[str, str], what: str, names: Iterable[str]) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    found = lookup.get(text_key(text))
    if found is None:
        raise CellError(_("Unknown %(what)s: write one of %(names)s.") % {"what": what, "names": "; ".join(names)})
    return found


def format_names() -> list[str]:
    return [f"{FORMAT_VI[v]} ({v})" for v in ActivityFormat.values]


def topic_names(values: Iterable[str]) -> list[str]:
    return [f"{TOPIC_VI[v]} ({v})" for v in values]


class AreaUnits:
    """The units a program's activities may be held in, found by their code in one query for all the codes.

    A code is read in the unit list in force on the activity's date (legacy before 1 July 2025), falling back
    to the other list when only that one has it. Spreadsheets drop leading zeros ("5860" for "05860"); the
    padded code is accepted when exactly one unit has it.
    """

    def __init__(self, program: PropagandaProgram, codes: Iterable[str]) -> None:
        self.program = program
        wanted: set[str] = set()
        for code in codes:
            code = code.strip()
            wanted |= {code, *((code.zfill(2), code.zfill(3), code.zfill(5)) if code.isdigit() else ())}
        units = Unit.objects.rolling_up_to(program.unit).filter(code__in=wanted) if wanted else Unit.objects.none()
        self.units: dict[tuple[str, str], Unit] = {
            (u.edition, u.code): u for u in units.only("id", "code", "name", "edition", "level", "path", "rollup_path")
        }

    def _padded(self, code: str, edition: str) -> list[Unit]:
        if (edition, code) in self.units:
            return [self.units[(edition, code)]]
        if not code.isdigit():
            return []
        return [
            self.units[(edition, c)]
            for c in sorted({code.zfill(2), code.zfill(3), code.zfill(5)} - {code})
            if (edition, c) in self.units
        ]

    def find(self, code: str, on: date | None) -> Unit:
        code = cell_text(code)
        first = edition_in_force(on) if on is not None else Unit.Edition.CURRENT
        other = Unit.Edition.LEGACY if first == Unit.Edition.CURRENT else Unit.Edition.CURRENT
        for edition in (first, other):
            found = self._padded(code, edition)
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise CellError(
                    _("The code %(code)s is ambiguous without its leading zeros; write one of %(codes)s.")
                    % {"code": code, "codes": ", ".join(u.code for u in found)}
                )
        raise CellError(
            _("No unit with code %(code)s in the program's area (%(area)s).")
            % {"code": code, "area": self.program.unit.name}
        )

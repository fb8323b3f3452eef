"""Writes to the unit tree: loading both editions from the vietnam-provinces package."""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal.reports import cache as stats_cache

from .models import PATH_SEPARATOR, Unit
from .text import search_key

ROOT_NAME = "Việt Nam"
Key = tuple[str, str]  # (edition, code)
CURRENT = Unit.Edition.CURRENT.value
LEGACY = Unit.Edition.LEGACY.value
ROOT_KEY: Key = (CURRENT, Unit.ROOT_CODE)


@dataclass
class UnitSpec:
    """What one unit row should hold; parent and successor are keys, resolved to ids on write."""

    edition: str
    code: str
    name: str
    kind: str
    level: int
    parent: Key | None
    path: str
    successor: Key | None = None

    @property
    def key(self) -> Key:
        return (self.edition, self.code)


@dataclass
class LoadResult:
    created: int
    updated: int
    unchanged: int


def _kind(division_type) -> str:
    return search_key(str(division_type.value)).replace(" ", "_")


def _child_path(parent_path: str, segment: str) -> str:
    return f"{parent_path}{segment}{PATH_SEPARATOR}"


def unit_specs() -> list[UnitSpec]:
    """Every unit of both editions, parents before children, current before legacy."""
    from vietnam_provinces import Province, Ward, legacy
    from vietnam_provinces import _ward_conversion_2025 as ward_conversion

    root_path = Unit.ROOT_CODE + PATH_SEPARATOR
    specs: list[UnitSpec] = [
        UnitSpec(CURRENT, Unit.ROOT_CODE, ROOT_NAME, Unit.Kind.NATION, Unit.Level.NATIONAL, None, root_path)
    ]
    paths: dict[Key, str] = {ROOT_KEY: root_path}

    def add(edition, code, name, division_type, level, parent: Key, segment: str) -> UnitSpec:
        path = _child_path(paths[parent], segment)
        spec = UnitSpec(edition, code, name, _kind(division_type), level, parent, path)
        paths[spec.key] = path
        specs.append(spec)
        return spec

    # Current edition: provinces -> communes.
    for p in sorted(Province.iter_all(), key=lambda p: int(p.code)):
        code = f"{int(p.code):02d}"
        add(CURRENT, code, p.name, p.division_type, Unit.Level.PROVINCE, ROOT_KEY, code)
    current_commune_province: dict[str, str] = {}
    for w in sorted(Ward.iter_all(), key=lambda w: int(w.code)):
        code, province = f"{int(w.code):05d}", f"{int(w.province_code):02d}"
        add(CURRENT, code, w.name, w.division_type, Unit.Level.COMMUNE, (CURRENT, province), code)
        current_commune_province[code] = province

    # Legacy edition: provinces -> districts -> communes. Segments carry an "L" so paths never collide.
    legacy_provinces = {}
    for p in sorted(legacy.Province.iter_all(), key=lambda p: int(p.code)):
        code = f"{int(p.code):02d}"
        legacy_provinces[code] = add(LEGACY, code, p.name, p.division_type, Unit.Level.PROVINCE, ROOT_KEY, f"L{code}")
    district_province: dict[str, str] = {}
    legacy_districts = {}
    for d in sorted(legacy.District.iter_all(), key=lambda d: int(d.code)):
        code, province = f"{int(d.code):03d}", f"{int(d.province_code):02d}"
        legacy_districts[code] = add(
            LEGACY, code, d.name, d.division_type, Unit.Level.DISTRICT, (LEGACY, province), code
        )
        district_province[code] = province

    # Crosswalk: a legacy commune goes to the first current commune the official table names.
    province_votes: dict[str, Counter] = {code: Counter() for code in legacy_provinces}
    district_votes: dict[str, Counter] = {code: Counter() for code in legacy_districts}
    unmapped: list[UnitSpec] = []
    for w in sorted(legacy.Ward.iter_all(), key=lambda w: int(w.code)):
        code, district = f"{int(w.code):05d}", f"{int(w.district_code):03d}"
        spec = add(LEGACY, code, w.name, w.division_type, Unit.Level.COMMUNE, (LEGACY, district), code)
        entry = ward_conversion.OLD_TO_NEW.get(int(w.code))
        targets = [f"{int(n.code):05d}" for n in entry.new_wards] if entry else []
        targets = [t for t in targets if t in current_commune_province]
        if targets:
            spec.successor = (CURRENT, targets[0])
            new_province = current_commune_province[targets[0]]
            province_votes[district_province[district]][new_province] += 1
            district_votes[district][new_province] += 1
        else:
            unmapped.append(spec)

    def majority(votes: Counter) -> str | None:
        if not votes:
            return None
        best = max(votes.values())
        return min(code for code, n in votes.items() if n == best)

    for code, spec in legacy_provinces.items():
        target = majority(province_votes[code])
        spec.successor = (CURRENT, target) if target else ROOT_KEY
    for code, spec in legacy_districts.items():
        target = majority(district_votes[code])
        spec.successor = (CURRENT, target) if target else legacy_provinces[district_province[code]].successor
    # A legacy commune missing from the crosswalk rolls up through its legacy province.
    for spec in unmapped:
        district = spec.parent[1]
        spec.successor = legacy_provinces[district_province[district]].successor
    return specs


FIELDS = ("name", "search_name", "kind", "level", "parent_id", "path", "successor_id", "rollup_path")


@transaction.atomic
def units_load() -> LoadResult:
    """Insert or update every unit so the table matches the package; a second run changes nothing."""
    specs = unit_specs()
    spec_paths = {s.key: s.path for s in specs}
    existing = {(u.edition, u.code): u for u in Unit.objects.all()}
    ids: dict[Key, int] = {key: u.pk for key, u in existing.items()}
    created = updated = unchanged = 0

    # Insert level by level so every parent and successor already has an id.
    by_stage: dict[tuple[int, int], list[UnitSpec]] = {}
    for spec in specs:
        stage = (0 if spec.edition == CURRENT else 1, spec.level)
        by_stage.setdefault(stage, []).append(spec)

    for stage in sorted(by_stage):
        to_create: list[Unit] = []
        to_update: list[Unit] = []
        for spec in by_stage[stage]:
            wanted = {
                "name": spec.name,
                "search_name": search_key(spec.name),
                "kind": spec.kind,
                "level": spec.level,
                "parent_id": ids[spec.parent] if spec.parent else None,
                "path": spec.path,
                "successor_id": ids[spec.successor] if spec.successor else None,
                "rollup_path": spec_paths[spec.successor] if spec.successor else spec.path,
            }
            unit = existing.get(spec.key)
            if unit is None:
                to_create.append(Unit(edition=spec.edition, code=spec.code, **wanted))
            elif any(getattr(unit, f) != v for f, v in wanted.items()):
                for f, v in wanted.items():
                    setattr(unit, f, v)
                to_update.append(unit)
            else:
                unchanged += 1
        if to_create:
            bulk_create_with_history(to_create, Unit, batch_size=2000)
            for unit in Unit.objects.filter(path__in=[u.path for u in to_create]).only("id", "edition", "code"):
                ids[(unit.edition, unit.code)] = unit.pk
            created += len(to_create)
        if to_update:
            bulk_update_with_history(to_update, Unit, fields=list(FIELDS), batch_size=2000)
            updated += len(to_update)
    if created or updated:
        stats_cache.changed()  # bulk writes send no signals; paths and roll-ups may have moved
    return LoadResult(created=created, updated=updated, unchanged=unchanged)

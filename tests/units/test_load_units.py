"""load_units against the real vietnam-provinces data: counts, codes, crosswalk, idempotence."""

import pytest
from django.core.management import call_command

from portal.units.models import Unit
from portal.units.services import units_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    return units_load()


def count(edition: str, level: int) -> int:
    return Unit.objects.filter(edition=edition, level=level).count()


def test_load_units_gives_the_official_counts_of_both_editions(loaded):
    assert count(Unit.Edition.CURRENT, Unit.Level.NATIONAL) == 1
    assert count(Unit.Edition.CURRENT, Unit.Level.PROVINCE) == 34
    assert count(Unit.Edition.CURRENT, Unit.Level.COMMUNE) == 3321
    assert count(Unit.Edition.LEGACY, Unit.Level.PROVINCE) == 63
    assert count(Unit.Edition.LEGACY, Unit.Level.DISTRICT) == 696
    assert count(Unit.Edition.LEGACY, Unit.Level.COMMUNE) == 10051
    assert loaded.created == 1 + 34 + 3321 + 63 + 696 + 10051


def test_second_run_changes_nothing(loaded):
    before = list(Unit.objects.order_by("pk").values())
    history_before = Unit.history.count()
    again = units_load()
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == loaded.created
    assert list(Unit.objects.order_by("pk").values()) == before
    assert Unit.history.count() == history_before


def test_same_code_means_different_units_in_the_two_editions(loaded):
    legacy = Unit.objects.get(edition=Unit.Edition.LEGACY, code="05860")
    current = Unit.objects.get(edition=Unit.Edition.CURRENT, code="05860")
    assert legacy.name == "Phường Ba Hàng"
    assert current.name == "Phường Phổ Yên"
    assert current.parent.code == "19" and current.parent.name == "Tỉnh Thái Nguyên"


def test_codes_are_zero_padded_by_level(loaded):
    assert Unit.objects.get(edition=Unit.Edition.CURRENT, name="Thành phố Hà Nội").code == "01"
    assert Unit.objects.get(edition=Unit.Edition.CURRENT, code="00004").name == "Phường Ba Đình"
    assert Unit.objects.get(edition=Unit.Edition.LEGACY, code="001").name == "Quận Ba Đình"
    lengths = {
        (level, len(code))
        for level, code in Unit.objects.exclude(level=Unit.Level.NATIONAL).values_list("level", "code")
    }
    assert lengths == {(Unit.Level.PROVINCE, 2), (Unit.Level.DISTRICT, 3), (Unit.Level.COMMUNE, 5)}


def test_legacy_units_roll_up_into_current_units(loaded):
    ba_hang = Unit.objects.get(edition=Unit.Edition.LEGACY, code="05860")
    pho_yen_town = ba_hang.parent
    thai_nguyen = Unit.objects.get(edition=Unit.Edition.CURRENT, code="19")
    assert ba_hang.successor.name == "Phường Phổ Yên"
    assert pho_yen_town.successor == thai_nguyen
    assert ba_hang.parent.parent.successor == thai_nguyen
    # Everything legacy in Thái Nguyên counts under current Thái Nguyên.
    assert Unit.objects.rolling_up_to(thai_nguyen).filter(edition=Unit.Edition.LEGACY).count() > 100
    assert not Unit.objects.filter(edition=Unit.Edition.LEGACY, successor__isnull=True).exists()
    assert not Unit.objects.filter(edition=Unit.Edition.CURRENT, successor__isnull=False).exists()


def test_legacy_commune_without_crosswalk_rolls_up_through_its_legacy_province(loaded):
    from vietnam_provinces import _ward_conversion_2025 as conversion

    unmapped = (
        Unit.objects.filter(edition=Unit.Edition.LEGACY, level=Unit.Level.COMMUNE)
        .exclude(code__in=[f"{c:05d}" for c in conversion.OLD_TO_NEW])
        .select_related("parent__parent__successor", "successor")
    )
    assert unmapped.exists()
    for commune in unmapped:
        assert commune.successor == commune.parent.parent.successor


def test_split_legacy_province_goes_to_where_most_of_its_communes_went(loaded):
    # Tiền Giang (82) merged into Đồng Tháp (82 in the 2025 edition).
    tien_giang = Unit.objects.get(edition=Unit.Edition.LEGACY, code="82")
    communes = Unit.objects.filter(
        edition=Unit.Edition.LEGACY, level=Unit.Level.COMMUNE, path__startswith=tien_giang.path
    )
    provinces = [c.successor.rollup_path.split("/")[1] for c in communes.select_related("successor")]
    most = max(set(provinces), key=provinces.count)
    assert tien_giang.successor.code == most


def test_subtree_is_a_prefix_filter(loaded):
    thai_nguyen = Unit.objects.get(edition=Unit.Edition.CURRENT, code="19")
    subtree = Unit.objects.subtree(thai_nguyen)
    assert subtree.filter(level=Unit.Level.COMMUNE).count() == Unit.objects.filter(parent=thai_nguyen).count()
    assert set(subtree.values_list("edition", flat=True)) == {Unit.Edition.CURRENT}


def test_command_reports_counts(db, capsys):
    call_command("load_units")
    out = capsys.readouterr().out
    assert "34 provinces, 3321 communes" in out
    assert "63 provinces, 696 districts, 10051 communes" in out

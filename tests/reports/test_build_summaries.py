"""`manage.py build_summaries`: which units it builds, what it prints, and the cost of finding communes."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from portal.accounts.models import User
from portal.reports.models import Summary
from portal.reports.periods import parse_period
from portal.reports.snapshots import summary_approve, summary_units
from portal.units.models import Unit
from tests.factories import UnitFactory
from tests.reports.test_snapshots import add_cases

pytestmark = pytest.mark.django_db


def build(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("build_summaries", *args, stdout=out)
    return out.getvalue()


def built() -> set[tuple[str, str]]:
    return set(Summary.objects.values_list("unit__code", "unit__edition"))


def test_default_build_covers_the_nation_every_province_and_communes_with_cases(tree):
    add_cases(tree.pho_yen, 2, on=date(2021, 3, 3))
    add_cases(tree.ba_dinh, 1, on=date(2021, 12, 1))  # outside the period
    add_cases(tree.ba_dinh, 1, on=date(2021, 3, 3), status="not_criminal")  # not counted
    output = build("--period", "2021-9M")
    assert built() == {("VN", "2025"), ("19", "2025"), ("01", "2025"), ("05860", "2025")}
    assert output.splitlines()[0] == "9 tháng năm 2021 (01/01/2021–30/09/2021): 4 units."
    assert re.fullmatch(
        r"4 summaries in \d+\.\d s: 4 new, 0 refreshed, 0 unchanged, 0 new versions of approved summaries "
        r"\(to approve again\)\.",
        output.splitlines()[1],
    )
    assert Summary.objects.get(unit=tree.thai_nguyen).figures["cases_total"]["value"] == 2


def test_a_commune_whose_cases_are_legacy_records_is_built(tree):
    add_cases(tree.legacy_ba_hang, 1, on=date(2021, 3, 3))  # Ba Hàng became Phường Phổ Yên
    build("--period", "2021")
    assert ("05860", "2025") in built()


def test_running_again_counts_refreshed_unchanged_and_new_versions(tree, make_user):
    add_cases(tree.pho_yen, 2, on=date(2021, 3, 3))
    build("--period", "2021-9M")
    summary_approve(unit=tree.pho_yen, period=parse_period("2021-9M"), actor=make_user(User.Role.LEADER, tree.root))
    add_cases(tree.pho_yen, 1, on=date(2021, 3, 4))
    summary = build("--period", "2021-9M").splitlines()[1]
    # Phổ Yên (approved) gets version 2; Thái Nguyên and the nation are refreshed; Hà Nội did not move.
    assert "0 new, 2 refreshed, 1 unchanged, 1 new versions" in summary


def test_one_unit_by_code_and_legacy_edition(tree):
    assert "1 unit." in build("--period", "2021-Q3", "--unit", "19")
    assert built() == {("19", "2025")}
    build("--period", "2021-Q3", "--unit", "19", "--edition", "legacy")
    assert built() == {("19", "2025"), ("19", "legacy")}


def test_legacy_tree_build_covers_provinces_and_districts_and_communes_with_cases(tree):
    other_town = UnitFactory(
        code="173",
        name="Huyện Yên Lặng",
        kind=Unit.Kind.DISTRICT,
        level=Unit.Level.DISTRICT,
        edition=Unit.Edition.LEGACY,
        parent=tree.legacy_thai_nguyen,
        successor=tree.thai_nguyen,
    )
    add_cases(tree.legacy_ba_hang, 1, on=date(2021, 3, 3))
    build("--period", "2021", "--edition", "legacy")
    assert built() == {("19", "legacy"), ("172", "legacy"), ("05860", "legacy")}
    assert other_town.code not in {code for code, _ in built()}


def test_finding_the_communes_is_one_query_however_many_there_are(tree, django_assert_num_queries):
    period = parse_period("2021")
    add_cases(tree.pho_yen, 1, on=date(2021, 3, 3))
    with django_assert_num_queries(1):
        few = list(summary_units(period=period))
    for n in range(5):
        commune = UnitFactory(code=f"0700{n}", name=f"Xã Thử {n}", kind=Unit.Kind.COMMUNE, parent=tree.ha_noi)
        add_cases(commune, 1, on=date(2021, 3, 3))
    with django_assert_num_queries(1):
        many = list(summary_units(period=period))
    assert len(many) == len(few) + 5
    with django_assert_num_queries(1):
        list(summary_units(period=period, edition=Unit.Edition.LEGACY))


def test_bad_period_or_unit_is_a_clear_error(tree):
    with pytest.raises(CommandError, match="is not a period"):
        build("--period", "2021-Q5")
    with pytest.raises(CommandError, match="No unit with code 99 in the 2025 list"):
        build("--period", "2021", "--unit", "99")

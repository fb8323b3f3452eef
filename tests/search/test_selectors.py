"""The global search selector: folding, reference prefix, grouping, scope, limits and its query count."""

from datetime import date

import pytest

from campaigns.services import campaign_create, hotspot_create, model_create, program_create
from cases.models import Case, Party
from portal.accounts.models import User
from portal.oversight.services import inspection_create, recommendation_raise
from portal.search.selectors import search, search_query
from tests.factories import UnitFactory, UserFactory, make_case

pytestmark = pytest.mark.django_db
R = User.Role
DAY = date(2025, 9, 2)


def groups_of(user, text, **kwargs) -> dict:
    return {g.kind: g for g in search(user=user, query=search_query(text), **kwargs)}


def labels(group) -> list[str]:
    return [hit.label for hit in group.hits]


@pytest.fixture
def recorder(tree, make_user):
    return make_user(R.ADMIN, tree.root)


@pytest.fixture
def world(tree, recorder):
    """The same kinds of records in Thái Nguyên (in scope of a provincial user there) and in Hà Nội."""
    made = {}
    for key, province, commune in (("in", tree.thai_nguyen, tree.pho_yen), ("out", tree.ha_noi, tree.ba_dinh)):
        made[key] = {
            "case": make_case(actor=recorder, unit=commune, recorded_on=DAY, title="Trộm cắp xe máy tại chợ Đồng"),
            "campaign": campaign_create(
                actor=recorder,
                name="Cao điểm tấn công tội phạm dịp Tết",
                lead_unit=province,
                starts_on=date(2025, 12, 15),
                ends_on=date(2026, 2, 28),
            ),
            "hotspot": hotspot_create(
                actor=recorder, unit=commune, kind="drugs", name="Điểm nóng ma túy bến xe", identified_on=DAY
            ),
            "model": model_create(
                actor=recorder, unit=province, name="Camera an ninh khu dân cư", field="drugs", started_on=DAY
            ),
            "program": program_create(
                actor=recorder,
                title="Tuyên truyền phòng chống lừa đảo",
                unit=province,
                starts_on=DAY,
                ends_on=date(2025, 12, 31),
                topics=["drugs"],
            ),
            "inspection": inspection_create(
                actor=UserFactory(role=R.INSPECTOR, unit=tree.root),
                inspecting_body="Đoàn kiểm tra liên ngành",
                inspecting_unit=province,
                inspected_units=[commune],
                starts_on=DAY,
                ends_on=DAY,
                topics=["crime_prevention"],
            ),
            "recommendation": recommendation_raise(
                actor=recorder,
                raising_unit=commune,
                addressed_to=province,
                title="Kiến nghị bổ sung kinh phí",
                text="Đề nghị bổ sung kinh phí.",
            ),
        }
    return made


# --- Queries ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "a", "Đ", "  x  ", "\x00"])
def test_empty_and_one_letter_queries_are_not_run(text):
    assert search_query(text) is None


def test_query_is_folded_and_trimmed():
    query = search_query("  Phường   ĐỒNG  Hỷ ")
    assert (query.text, query.key) == ("Phường ĐỒNG Hỷ", "phuong dong hy")
    assert search_query("19-2026-12").is_reference
    assert not search_query("Tết 2026").is_reference


# --- Units --------------------------------------------------------------------------------------------


def test_unit_name_without_diacritics_finds_the_unit_and_links_its_dashboard(tree, make_user):
    user = make_user(R.VIEWER, tree.thai_nguyen)
    units = groups_of(user, "pho yen")["units"]
    assert labels(units)[0] == "Phường Phổ Yên"
    assert units.hits[0].url == f"/?unit={tree.pho_yen.code}"
    # The legacy town of the same name rolls up into Thái Nguyên: found too, linked with its edition.
    legacy = [h for h in units.hits if h.label.startswith("Thị xã Phổ Yên")]
    assert legacy and legacy[0].url == f"/?unit={tree.legacy_pho_yen_town.code}&edition=legacy"
    assert units.count == 2


def test_province_name_without_diacritics_and_in_capitals(tree, make_user):
    user = make_user(R.VIEWER, tree.root)
    assert labels(groups_of(user, "THAI NGUYEN")["units"])[0] == "Tỉnh Thái Nguyên"


def test_d_with_stroke_folds_to_d(tree, make_user):
    user = make_user(R.VIEWER, tree.root)
    assert "Phường Ba Đình" in labels(groups_of(user, "ba dinh")["units"])
    assert "Phường Ba Đình" in labels(groups_of(user, "BA ĐÌNH")["units"])


def test_unit_names_match_from_the_start_of_a_word(tree, make_user):
    user = make_user(R.VIEWER, tree.root)
    assert "Phường Phổ Yên" in labels(groups_of(user, "yen")["units"])
    assert "Phường Phổ Yên" not in labels(groups_of(user, "ho yen")["units"])


def test_unit_code_is_matched_exactly(tree, make_user):
    user = make_user(R.VIEWER, tree.thai_nguyen)
    units = groups_of(user, tree.pho_yen.code)["units"]  # the current ward and the legacy one with its code
    assert [h.url for h in units.hits] == [f"/?unit={tree.pho_yen.code}", f"/?unit={tree.pho_yen.code}&edition=legacy"]


def test_units_outside_the_subtree_never_appear_not_even_above_it(tree, make_user):
    user = make_user(R.VIEWER, tree.thai_nguyen)
    assert groups_of(user, "ba dinh")["units"].count == 0
    assert groups_of(user, "viet nam")["units"].count == 0  # the national root sits above the user's unit


# --- Cases --------------------------------------------------------------------------------------------


def test_case_reference_exactly_and_by_prefix(tree, make_user, recorder):
    first = make_case(actor=recorder, unit=tree.pho_yen, recorded_on=DAY)
    second = make_case(actor=recorder, unit=tree.pho_yen, recorded_on=DAY)
    user = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    cases = groups_of(user, first.reference)["cases"]
    assert cases.count == 1 and cases.hits[0].url == f"/cases/{first.pk}/"
    prefix = first.reference.rsplit("-", 1)[0]  # "19-2025"
    cases = groups_of(user, prefix)["cases"]
    assert cases.count == 2 and {h.url for h in cases.hits} == {f"/cases/{first.pk}/", f"/cases/{second.pk}/"}
    assert cases.more_url == f"/cases/?q={prefix}"
    # A reference-shaped query searches only what carries references and codes.
    assert set(groups_of(user, prefix)) == {"cases", "units"}


def test_case_title_without_diacritics(world, tree, make_user):
    user = make_user(R.INSPECTOR, tree.thai_nguyen)
    cases = groups_of(user, "trom cap xe may tai cho dong")["cases"]
    assert cases.count == 1
    assert cases.hits[0].label == f"{world['in']['case'].reference} – Trộm cắp xe máy tại chợ Đồng"


def test_case_parties_are_never_searched(tree, make_user, recorder):
    case = make_case(actor=recorder, unit=tree.pho_yen, recorded_on=DAY)
    Party.objects.create(case=case, role="suspect", full_name="Phùng Thị Bí Mật", id_number="038199012345")
    user = make_user(R.ADMIN, tree.thai_nguyen)  # who may read the party in full on the case page
    for text in ("Bí Mật", "bi mat", "038199012345"):
        assert sum(g.count for g in search(user=user, query=search_query(text))) == 0, text


def test_roles_that_do_not_read_cases_get_no_case_group(world, tree, make_user):
    for role in (R.VIEWER, R.PROPAGANDA_OFFICER):
        user = make_user(role, tree.thai_nguyen)
        assert "cases" not in groups_of(user, "trom cap")


# --- The other kinds, and scope -----------------------------------------------------------------------

FOUND_BY = {
    "campaigns": "toi pham dip tet",
    "hotspots": "ma tuy ben xe",
    "models": "camera an ninh",
    "programs": "phong chong lua dao",
    "inspections": "doan kiem tra lien nganh",
    "recommendations": "kien nghi bo sung kinh phi",
}


@pytest.mark.parametrize("kind", FOUND_BY)
def test_a_provincial_user_finds_their_province_only(kind, world, tree, make_user):
    user = make_user(R.ADMIN, tree.thai_nguyen)
    group = groups_of(user, FOUND_BY[kind])[kind]
    assert group.count == 1
    assert group.hits[0].url.rstrip("/").endswith(f"/{world['in'][kind[:-1]].pk}")


@pytest.mark.parametrize("kind", FOUND_BY)
def test_a_national_user_finds_both_provinces(kind, world, tree, make_user):
    user = make_user(R.ADMIN, tree.root)
    assert groups_of(user, FOUND_BY[kind])[kind].count == 2


def test_a_user_without_a_unit_finds_nothing(world, tree, make_user):
    user = make_user(R.ADMIN, tree.thai_nguyen)
    user.unit = None
    assert all(g.count == 0 for g in search(user=user, query=search_query("tet")))


def test_groups_follow_the_roles_reading_rights(world, tree, make_user):
    viewer = make_user(R.VIEWER, tree.thai_nguyen)
    assert set(groups_of(viewer, "kinh phi")) == {"units", "campaigns", "hotspots", "programs", "models"}
    investigator = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    assert set(groups_of(investigator, "kinh phi")) == {"cases", "units", "campaigns", "hotspots"}


# --- Limits and query count ---------------------------------------------------------------------------


def test_each_group_shows_at_most_the_limit_and_counts_all(tree, make_user, recorder):
    for n in range(4):
        hotspot_create(actor=recorder, unit=tree.pho_yen, kind="other", name=f"Tụ điểm cờ bạc {n}", identified_on=DAY)
        make_case(actor=recorder, unit=tree.pho_yen, recorded_on=DAY, title=f"Đánh bạc lần {n}")
    user = make_user(R.ADMIN, tree.thai_nguyen)
    groups = groups_of(user, "bac", limit=3)
    assert (groups["hotspots"].count, len(groups["hotspots"].hits)) == (4, 3)
    assert (groups["cases"].count, len(groups["cases"].hits)) == (4, 3)


def test_query_count_is_one_per_group_whatever_matches(tree, make_user, recorder, django_assert_num_queries):
    user = make_user(R.ADMIN, tree.thai_nguyen)
    query = search_query("pho")
    with django_assert_num_queries(8):  # eight kinds for an admin, one statement each
        search(user=user, query=query)
    for n in range(12):
        make_case(actor=recorder, unit=tree.pho_yen, recorded_on=DAY, title=f"Phố {n}")
        hotspot_create(actor=recorder, unit=tree.pho_yen, kind="theft", name=f"Phố chợ {n}", identified_on=DAY)
        UnitFactory(name=f"Xã Phố Mới {n}", parent=tree.thai_nguyen, kind="xa")
    with django_assert_num_queries(8):
        groups = {g.kind: g for g in search(user=user, query=query)}
    assert groups["cases"].count == 12 and groups["hotspots"].count == 12 and groups["units"].count >= 13
    assert Case.objects.count() == 12

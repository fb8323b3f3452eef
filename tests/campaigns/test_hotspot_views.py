"""Hotspot pages: list and map data, access (403/404), the file with its trend and linked cases, forms, moves."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Hotspot, HotspotEvent
from campaigns.selectors.hotspots import hotspot_trend
from campaigns.services import hotspot_create, hotspot_transition, hotspot_update
from cases.models import Case
from portal.accounts.models import User
from tests.campaigns.conftest import DAY, TODAY
from tests.factories import bulk_cases, make_case

pytestmark = pytest.mark.django_db
R = User.Role
# session, user, the user's unit (navigation bar), count, the page of hotspots (units joined); then the session
# is saved (renewed on every request).
HOTSPOT_LIST_QUERIES = 8


@pytest.fixture
def browse(client):
    """Log a user in, in English (the pages' source language)."""

    def log_in(user):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return log_in


def page_text(response) -> str:
    return response.content.decode()


def make_hotspot(actor, unit, *, name="Bãi sông Cầu", kind="drugs", on=DAY, lat=None, lng=None) -> Hotspot:
    return hotspot_create(actor=actor, unit=unit, kind=kind, name=name, identified_on=on, latitude=lat, longitude=lng)


def listed_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="hotspot-row" data-id="(\d+)"', page_text(response))]


def map_data(response) -> list[dict]:
    match = re.search(r'<script id="hotspot-map-data" type="application/json">(.*?)</script>', page_text(response))
    return json.loads(match.group(1))


@pytest.fixture
def hanoi_officer(make_user, tree):
    return make_user(R.STANDING_OFFICER, tree.ha_noi, username="tt.hn")


@pytest.fixture
def hotspots(tree, officer, hanoi_officer):
    """Two hotspots of Thái Nguyên (one on the map, one without coordinates) and one of Hà Nội."""
    on_map = make_hotspot(officer, tree.pho_yen, name="Bãi sông Cầu", lat=Decimal("21.4205"), lng=Decimal("105.8723"))
    off_map = make_hotspot(officer, tree.thai_nguyen, name="Chợ đêm Ba Hàng", kind="theft", on=date(2026, 2, 1))
    hanoi = make_hotspot(
        hanoi_officer, tree.ba_dinh, name="Phố đi bộ", kind="theft", lat=Decimal("21.03"), lng=Decimal("105.85")
    )
    return on_map, off_map, hanoi


# --- The list and its map ----------------------------------------------------------------------


@pytest.mark.parametrize("role", list(R))
def test_every_role_reads_the_list_of_its_scope_with_the_map_data(browse, tree, make_user, hotspots, role):
    on_map, off_map, _hanoi = hotspots

    response = browse(make_user(role, tree.thai_nguyen)).get(reverse("campaigns:hotspot-list"))

    assert response.status_code == 200
    assert listed_ids(response) == [on_map.pk, off_map.pk]
    points = map_data(response)
    assert [(p["id"], p["lat"], p["lng"], p["status"]) for p in points] == [
        (on_map.pk, 21.4205, 105.8723, "identified")
    ]
    assert points[0]["url"] == reverse("campaigns:hotspot-detail", args=[on_map.pk])
    page = page_text(response)
    assert "1 hotspot has no coordinates and is listed in the table only." in page
    assert "Phố đi bộ" not in page
    assert "10/03/2026" in page  # dd/mm/yyyy


def test_list_has_no_inline_script_and_no_tile_layer_unless_configured(browse, tree, officer, hotspots, settings):
    settings.PORTAL_MAP_TILES_URL = ""
    page = page_text(browse(officer).get(reverse("campaigns:hotspot-list")))

    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.DOTALL)
    inline = [attrs for attrs, body in scripts if "src=" not in attrs and 'type="application/json"' not in attrs]
    assert inline == []  # a Content-Security-Policy without 'unsafe-inline' holds
    assert "vendor/leaflet/leaflet.js" in page and "portal/hotspot-map.js" in page
    config = json.loads(re.search(r'id="hotspot-map-config" type="application/json">(.*?)</script>', page).group(1))
    assert config["tiles"] == ""
    assert 'id="hotspot-map"' in page and " hidden></div>" in page  # shown by the script: the table comes first

    settings.PORTAL_MAP_TILES_URL = "https://tiles.intranet.example/{z}/{x}/{y}.png"
    settings.PORTAL_MAP_TILES_ATTRIBUTION = "© OpenStreetMap"
    page = page_text(browse(officer).get(reverse("campaigns:hotspot-list")))
    config = json.loads(re.search(r'id="hotspot-map-config" type="application/json">(.*?)</script>', page).group(1))
    assert config["tiles"] == "https://tiles.intranet.example/{z}/{x}/{y}.png"
    assert config["attribution"] == "© OpenStreetMap"


def test_names_in_the_map_data_cannot_break_out_of_the_json(browse, tree, officer):
    make_hotspot(officer, tree.pho_yen, name="</script><script>alert(1)</script>", lat=Decimal(21), lng=Decimal(105))

    response = browse(officer).get(reverse("campaigns:hotspot-list"))

    assert "</script><script>alert(1)" not in page_text(response)
    assert map_data(response)[0]["name"] == "</script><script>alert(1)</script>"


def test_without_coordinates_there_is_no_map_and_the_page_says_so(browse, tree, officer):
    make_hotspot(officer, tree.pho_yen)

    page = page_text(browse(officer).get(reverse("campaigns:hotspot-list")))

    assert 'id="hotspot-map"' not in page and "leaflet.js" not in page
    assert "None of these hotspots has coordinates" in page


def test_list_filters_by_unit_kind_status_and_dates(browse, tree, officer, hotspots):
    on_map, off_map, _hanoi = hotspots
    legacy = make_hotspot(officer, tree.legacy_ba_hang, name="Bến xe cũ", on=date(2025, 3, 1))
    hotspot_transition(hotspot=on_map, to="under_remediation", on=date(2026, 4, 1), actor=officer, version=1)
    client = browse(officer)
    url = reverse("campaigns:hotspot-list")

    assert listed_ids(client.get(url, {"unit": "05860"})) == [on_map.pk, legacy.pk]  # legacy commune rolls up
    assert listed_ids(client.get(url, {"kind": "theft"})) == [off_map.pk]
    assert listed_ids(client.get(url, {"status": "under_remediation"})) == [on_map.pk]
    assert listed_ids(client.get(url, {"identified_after": "01/03/2026"})) == [on_map.pk]  # as typed
    assert listed_ids(client.get(url, {"identified_before": "2026-02-28"})) == [off_map.pk, legacy.pk]
    assert "match the filters" in page_text(client.get(url, {"kind": "theft"}))


def test_list_page_makes_the_same_number_of_queries_for_10_and_60_hotspots(
    browse, tree, officer, django_assert_max_num_queries
):
    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            coordinates = {"lat": Decimal("21.4") + Decimal(i) / 1000, "lng": Decimal("105.8")} if i % 3 else {}
            make_hotspot(officer, tree.pho_yen, name=f"Điểm nóng {i}", **coordinates)

    client = browse(officer)
    add(10, 0)
    client.get(reverse("campaigns:hotspot-list"))  # warm the session

    with django_assert_max_num_queries(HOTSPOT_LIST_QUERIES), CaptureQueriesContext(connection) as ten:
        assert len(listed_ids(client.get(reverse("campaigns:hotspot-list")))) == 10
    add(50, 10)
    with django_assert_max_num_queries(HOTSPOT_LIST_QUERIES), CaptureQueriesContext(connection) as sixty:
        response = client.get(reverse("campaigns:hotspot-list"))
    assert len(listed_ids(response)) == 60 and len(map_data(response)) == 40

    assert len(ten) == len(sixty)


def test_new_hotspot_button_only_for_roles_that_may_record(browse, tree, make_user):
    for role, shown in [(R.ADMIN, True), (R.STANDING_OFFICER, True), (R.LEADER, False), (R.INVESTIGATOR, False)]:
        page = page_text(browse(make_user(role, tree.thai_nguyen)).get(reverse("campaigns:hotspot-list")))
        assert ('data-testid="new-hotspot"' in page) is shown, role


# --- Access ------------------------------------------------------------------------------------


def hotspot_urls(hotspot: Hotspot) -> list[str]:
    return [
        reverse("campaigns:hotspot-detail", args=[hotspot.pk]),
        reverse("campaigns:hotspot-edit", args=[hotspot.pk]),
    ]


def move_data(hotspot: Hotspot, to="under_remediation", on="2026-04-01", version=None, note="") -> dict:
    return {"to": to, "on": on, "version": version or hotspot.version, "note": note}


def test_hotspot_of_another_province_answers_404_on_every_url(browse, tree, hotspots, hanoi_officer):
    on_map, _off_map, _hanoi = hotspots
    client = browse(hanoi_officer)

    for url in hotspot_urls(on_map):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("campaigns:hotspot-edit", args=[on_map.pk]), {"name": "X"}).status_code == 404
    assert client.post(reverse("campaigns:hotspot-transition", args=[on_map.pk]), move_data(on_map)).status_code == 404
    on_map.refresh_from_db()
    assert (on_map.status, on_map.version) == ("identified", 1)


@pytest.mark.parametrize("role", [R.LEADER, R.INVESTIGATOR, R.PROPAGANDA_OFFICER, R.INSPECTOR, R.VIEWER])
def test_roles_that_only_read_get_403_on_every_write_and_no_forms(browse, tree, make_user, hotspots, role):
    on_map, _off_map, hanoi = hotspots
    client = browse(make_user(role, tree.thai_nguyen))

    page = page_text(client.get(reverse("campaigns:hotspot-detail", args=[on_map.pk])))
    assert "Bãi sông Cầu" in page and 'data-testid="move-under_remediation"' not in page
    assert 'data-testid="edit-hotspot"' not in page
    assert client.get(reverse("campaigns:hotspot-create")).status_code == 403
    for hotspot in (on_map, hanoi):  # refused before any lookup: the same answer in and out of scope
        assert client.get(reverse("campaigns:hotspot-edit", args=[hotspot.pk])).status_code == 403
        response = client.post(reverse("campaigns:hotspot-transition", args=[hotspot.pk]), move_data(hotspot))
        assert response.status_code == 403
    assert client.post(reverse("campaigns:hotspot-create"), {"name": "X"}).status_code == 403
    assert Hotspot.objects.get(pk=on_map.pk).version == 1


def test_user_without_a_unit_gets_403_and_anonymous_is_sent_to_log_in(client, browse, tree, make_user, hotspots):
    response = client.get(reverse("campaigns:hotspot-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    unitless = make_user(R.ADMIN, tree.root)
    unitless.unit = None
    unitless.save()
    assert browse(unitless).get(reverse("campaigns:hotspot-list")).status_code == 403


def test_the_move_url_only_accepts_posts(browse, tree, officer, hotspots):
    response = browse(officer).get(reverse("campaigns:hotspot-transition", args=[hotspots[0].pk]))
    assert response.status_code == 405


# --- The hotspot file --------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(R))
def test_every_role_reads_the_file_cases_only_for_roles_that_see_cases(browse, tree, make_user, officer, role):
    hotspot = make_hotspot(officer, tree.pho_yen, lat=Decimal("21.420500"), lng=Decimal("105.8723"))
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2026, 3, 12), hotspot=hotspot)

    response = browse(make_user(role, tree.thai_nguyen)).get(reverse("campaigns:hotspot-detail", args=[hotspot.pk]))

    assert response.status_code == 200
    page = page_text(response)
    assert "Bãi sông Cầu" in page and "21.4205, 105.8723" in page
    assert re.findall(r'data-testid="timeline-event" data-kind="(\w+)"', page) == ["created"]
    assert 'data-testid="trend"' in page  # figures: every role reads those of its scope
    sees_cases = role in {R.ADMIN, R.LEADER, R.STANDING_OFFICER, R.INVESTIGATOR, R.INSPECTOR}
    assert ('data-testid="linked-cases"' in page) is sees_cases
    assert (case.reference in page) is sees_cases


def test_linked_cases_follow_the_case_scoping(browse, tree, officer, national, make_user):
    """A case linked to the hotspot but handled out of the reader's scope stays hidden from them."""
    hotspot = make_hotspot(officer, tree.pho_yen)
    own = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2026, 3, 12), hotspot=hotspot)
    elsewhere = make_case(actor=national, unit=tree.ba_dinh, recorded_on=date(2026, 3, 12))
    Case.objects.filter(pk=elsewhere.pk).update(hotspot=hotspot)  # linked by hand, as a migration could
    commune = make_user(R.INVESTIGATOR, tree.pho_yen)

    province_page = page_text(browse(officer).get(reverse("campaigns:hotspot-detail", args=[hotspot.pk])))
    national_page = page_text(browse(national).get(reverse("campaigns:hotspot-detail", args=[hotspot.pk])))
    commune_page = page_text(browse(commune).get(reverse("campaigns:hotspot-detail", args=[hotspot.pk])))

    linked = r'data-testid="linked-case" data-reference="([^"]+)"'
    assert re.findall(linked, province_page) == [own.reference]
    assert set(re.findall(linked, national_page)) == {own.reference, elsewhere.reference}
    assert re.findall(linked, commune_page) == [own.reference]


def test_file_shows_the_allowed_move_with_the_version_shown(browse, tree, officer):
    hotspot = make_hotspot(officer, tree.pho_yen)

    page = page_text(browse(officer).get(reverse("campaigns:hotspot-detail", args=[hotspot.pk])))

    assert set(re.findall(r'data-testid="move-(\w+)"', page)) == {"under_remediation"}
    assert 'name="version" value="1"' in page and 'name="to" value="under_remediation"' in page
    assert 'value="01/06/2026"' in page  # the date defaults to today, dd/mm/yyyy


# --- The crime trend around the hotspot --------------------------------------------------------


def trend_rows(response) -> dict[str, tuple[int, int]]:
    rows = re.findall(
        r'data-testid="trend-month" data-month="([\d/]+)" data-current="(\d+)" data-previous="(\d+)"',
        page_text(response),
    )
    return {month: (int(current), int(previous)) for month, current, previous in rows}


def test_trend_counts_cases_of_the_commune_per_month_against_a_year_earlier(browse, tree, officer):
    hotspot = make_hotspot(officer, tree.pho_yen)
    bulk_cases(tree.pho_yen, 3, on=date(2026, 3, 5))
    bulk_cases(tree.pho_yen, 1, on=date(2026, 3, 31))
    bulk_cases(tree.legacy_ba_hang, 2, on=date(2025, 3, 20))  # the same commune before the reform
    bulk_cases(tree.pho_yen, 4, on=date(2026, 6, 1))  # today: the month under way counts
    bulk_cases(tree.pho_yen, 5, on=date(2025, 6, 30))  # before the 12 months, but a year before June 2026
    bulk_cases(tree.pho_yen, 7, on=date(2026, 3, 6), status=Case.Status.NOT_CRIMINAL)  # not crimes
    bulk_cases(tree.thai_nguyen, 9, on=date(2026, 3, 6))  # the province, not the commune
    bulk_cases(tree.ba_dinh, 9, on=date(2026, 3, 6))  # another province
    bulk_cases(tree.pho_yen, 9, on=date(2024, 6, 30))  # two years back

    response = browse(officer).get(reverse("campaigns:hotspot-detail", args=[hotspot.pk]))

    rows = trend_rows(response)
    assert list(rows) == [f"{m:02d}/2025" for m in range(7, 13)] + [f"{m:02d}/2026" for m in range(1, 7)]
    assert rows["03/2026"] == (4, 2)
    assert rows["06/2026"] == (4, 5)
    assert sum(c for c, _p in rows.values()) == 8 and sum(p for _c, p in rows.values()) == 7
    assert re.search(
        r'data-testid="trend-total">\s*<th scope="row">12 months</th>\s*<td class="text-end">8</td>',
        page_text(response),
    )


def test_trend_is_one_sql_statement_and_follows_the_police_month(tree, officer, settings):
    hotspot = make_hotspot(officer, tree.pho_yen)
    bulk_cases(tree.pho_yen, 2, on=date(2026, 5, 14))  # police month 5/2026: 15/04–14/05
    bulk_cases(tree.pho_yen, 3, on=date(2026, 5, 15))  # police month 6/2026: from 15/05
    bulk_cases(tree.pho_yen, 1, on=date(2025, 5, 15))  # police month 6/2025
    settings.STATISTICS_MONTH_START_DAY = 15

    with CaptureQueriesContext(connection) as queries:
        trend = hotspot_trend(user=officer, hotspot=hotspot, today=TODAY)

    assert len(queries) == 1
    by_label = {row["label"]: row for row in trend}
    assert len(trend) == 12 and trend[-1]["label"] == "06/2026"
    assert (by_label["05/2026"]["current"], by_label["06/2026"]["current"], by_label["06/2026"]["previous"]) == (
        2,
        3,
        1,
    )
    assert (by_label["06/2026"]["start"], by_label["06/2026"]["end"]) == (date(2026, 5, 15), date(2026, 6, 14))
    assert by_label["06/2026"]["change_pct"] == 200.0 and by_label["05/2026"]["change_pct"] is None


def test_trend_and_dates_read_in_vietnamese(client, tree, officer):
    hotspot = make_hotspot(officer, tree.pho_yen)
    bulk_cases(tree.pho_yen, 1200, on=date(2026, 3, 5))
    client.force_login(officer)  # Vietnamese, the default

    page = page_text(client.get(reverse("campaigns:hotspot-detail", args=[hotspot.pk])))

    assert 'data-current="1200"' in page and "1.200" in page  # 1,200 cases, grouped the Vietnamese way
    assert "10/03/2026" in page


# --- Record, edit, move ------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    data = {
        "name": "Tụ điểm đánh bạc xóm Chùa",
        "kind": "gambling",
        "unit": "05860",
        "identified_on": "10/03/2026",
        "description": "Tụ tập về đêm",
        "latitude": "21,4205",  # a comma is read as the decimal point
        "longitude": "105.8723",
        "note": "Tin báo của quần chúng",
    }
    return {**data, **overrides}


def test_standing_officer_records_a_hotspot_through_the_form(browse, tree, officer):
    response = browse(officer).post(reverse("campaigns:hotspot-create"), form_data())

    hotspot = Hotspot.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:hotspot-detail", args=[hotspot.pk]
    )
    assert (hotspot.unit, hotspot.identified_on, hotspot.created_by) == (tree.pho_yen, DAY, officer)
    assert (hotspot.latitude, hotspot.longitude) == (Decimal("21.4205"), Decimal("105.8723"))
    event = hotspot.events.get()
    assert (event.kind, event.note, event.actor) == (HotspotEvent.Kind.CREATED, "Tin báo của quần chúng", officer)


def test_a_code_before_the_reform_names_the_legacy_commune(browse, tree, officer):
    browse(officer).post(reverse("campaigns:hotspot-create"), form_data(identified_on="01/03/2025"))
    assert Hotspot.objects.get().unit == tree.legacy_ba_hang


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"unit": "00004"}, "unit", "No unit with code 00004 in your scope."),
        ({"identified_on": "02/06/2026"}, "identified_on", "The date 02/06/2026 is in the future."),
        ({"latitude": "95"}, "latitude", "less than or equal to 90"),
        ({"longitude": ""}, "longitude", "Give both the latitude and the longitude, or neither."),
    ],
)
def test_refused_input_is_shown_on_its_field_and_nothing_is_saved(browse, tree, officer, overrides, field, message):
    response = browse(officer).post(reverse("campaigns:hotspot-create"), form_data(**overrides))

    assert response.status_code == 200
    assert re.search(rf'data-field="{field}">[^<]*{re.escape(message)}', page_text(response))
    assert 'data-testid="form-errors"' in page_text(response)
    assert not Hotspot.objects.exists()


def test_edit_saves_through_the_service_and_writes_the_timeline(browse, tree, officer):
    hotspot = make_hotspot(officer, tree.pho_yen, lat=Decimal("21.4205"), lng=Decimal("105.8723"))
    client = browse(officer)
    form = page_text(client.get(reverse("campaigns:hotspot-edit", args=[hotspot.pk])))
    assert 'value="21.4205"' in form and 'value="05860"' in form and 'name="version" value="1"' in form

    data = form_data(name="Bãi sông Cầu (đoạn cầu phao)", latitude="21.4205", version=1)
    response = client.post(reverse("campaigns:hotspot-edit", args=[hotspot.pk]), data)

    assert response.status_code == 302
    hotspot.refresh_from_db()
    assert (hotspot.name, hotspot.kind, hotspot.version) == ("Bãi sông Cầu (đoạn cầu phao)", "gambling", 2)
    assert hotspot.events.filter(kind=HotspotEvent.Kind.EDITED).count() == 1


def test_stale_edit_shows_what_changed_keeps_the_input_and_overwrites_nothing(browse, tree, officer, make_user):
    hotspot = make_hotspot(officer, tree.pho_yen)
    colleague = make_user(R.STANDING_OFFICER, tree.thai_nguyen)
    hotspot_update(hotspot=hotspot, actor=colleague, version=1, name="Bãi sông Cầu (bờ trái)")

    response = browse(officer).post(
        reverse("campaigns:hotspot-edit", args=[hotspot.pk]), form_data(name="Tên của tôi", version=1)
    )

    assert response.status_code == 200
    page = page_text(response)
    assert "changed by someone else" in page and "nothing was saved" in page
    assert 'data-testid="stale-changes"' in page and "Bãi sông Cầu (bờ trái)" in page
    assert 'value="Tên của tôi"' in page and 'name="version" value="2"' in page
    hotspot.refresh_from_db()
    assert (hotspot.name, hotspot.version) == ("Bãi sông Cầu (bờ trái)", 2)


def test_legal_move_redirects_to_the_file_with_a_message_and_a_timeline_entry(browse, tree, officer):
    hotspot = make_hotspot(officer, tree.pho_yen)
    client = browse(officer)

    response = client.post(
        reverse("campaigns:hotspot-transition", args=[hotspot.pk]), move_data(hotspot, note="Ra quân cải tạo")
    )

    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:hotspot-detail", args=[hotspot.pk]
    )
    page = page_text(client.get(response["Location"]))
    assert "The hotspot is now “Under remediation”." in page
    assert re.findall(r'data-testid="timeline-event" data-kind="(\w+)" data-to="(\w*)"', page) == [
        ("created", "identified"),
        ("status", "under_remediation"),
    ]
    assert "Ra quân cải tạo" in page
    hotspot.refresh_from_db()
    assert (hotspot.status, hotspot.remediation_started_on, hotspot.version) == (
        "under_remediation",
        date(2026, 4, 1),
        2,
    )


def test_illegal_move_shows_the_message_keeps_the_input_and_changes_nothing(browse, tree, officer):
    hotspot = make_hotspot(officer, tree.pho_yen)

    response = browse(officer).post(
        reverse("campaigns:hotspot-transition", args=[hotspot.pk]), move_data(hotspot, to="resolved", note="Thử")
    )

    assert response.status_code == 200
    page = page_text(response)
    assert 'data-testid="form-errors"' in page
    assert "cannot move to Resolved. Allowed moves: Under remediation." in page
    hotspot.refresh_from_db()
    assert (hotspot.status, hotspot.version, hotspot.events.count()) == ("identified", 1, 1)


def test_move_dated_before_identification_is_refused_on_the_date_field(browse, tree, officer):
    hotspot = make_hotspot(officer, tree.pho_yen)

    response = browse(officer).post(
        reverse("campaigns:hotspot-transition", args=[hotspot.pk]), move_data(hotspot, on="01/03/2026", note="Sớm")
    )

    page = page_text(response)
    assert re.search(r'data-field="on">The date 01/03/2026 is before the date identified', page)
    assert "Sớm</textarea>" in page  # the input is kept, in the form of that move
    assert Hotspot.objects.get(pk=hotspot.pk).status == "identified"


def test_stale_move_is_refused_with_a_clear_message(browse, tree, officer, make_user):
    hotspot = make_hotspot(officer, tree.pho_yen)
    colleague = make_user(R.STANDING_OFFICER, tree.thai_nguyen)
    hotspot_update(hotspot=hotspot, actor=colleague, version=1, description="Bổ sung")

    response = browse(officer).post(
        reverse("campaigns:hotspot-transition", args=[hotspot.pk]), move_data(hotspot, version=1, note="Của tôi")
    )

    page = page_text(response)
    assert "changed by someone else" in page and "nothing was saved" in page
    assert "Của tôi</textarea>" in page and 'name="version" value="2"' in page
    hotspot.refresh_from_db()
    assert (hotspot.status, hotspot.version) == ("identified", 2)

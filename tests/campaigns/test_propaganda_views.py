"""Propaganda pages: who sees them (403/404), the list with filters and totals, the program page, the forms,
and the quick-entry table that records many activities at once or none."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import PropagandaActivity, PropagandaProgram
from portal.accounts.models import User
from tests.campaigns.propaganda_helpers import make_activity, make_program

pytestmark = pytest.mark.django_db
R = User.Role
READERS = [r for r in User.Role if r != R.INVESTIGATOR]


@pytest.fixture
def browse(client):
    """Log a user in, in English (the pages' source language) unless told otherwise."""

    def log_in(user, language="en"):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return log_in


@pytest.fixture
def programs(tree, national):
    ours = make_program(national, tree.thai_nguyen, title="Ma túy học đường", planned_activities=8, planned_reach=4000)
    make_activity(national, ours, tree.pho_yen, format="school", topic="drugs", audience=1234, materials=500)
    make_activity(national, ours, tree.pho_yen, format="meeting", topic="cyber_fraud", audience=766, materials=0)
    theirs = make_program(national, tree.ha_noi, title="Chương trình của Hà Nội")
    return ours, theirs


def text(response) -> str:
    return response.content.decode()


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_the_list_and_the_program(browse, tree, make_user, programs, role):
    ours, theirs = programs
    client = browse(make_user(role, tree.thai_nguyen))
    page = text(client.get(reverse("campaigns:program-list")))
    assert ours.title in page and theirs.title not in page
    response = client.get(reverse("campaigns:program-detail", args=[ours.pk]))
    assert response.status_code == 200
    assert client.get(reverse("campaigns:program-detail", args=[theirs.pk])).status_code == 404


def test_investigators_are_refused_every_page(browse, tree, make_user, programs):
    ours, _theirs = programs
    client = browse(make_user(R.INVESTIGATOR, tree.thai_nguyen))
    for name, args in [
        ("program-list", []),
        ("program-detail", [ours.pk]),
        ("program-create", []),
        ("activity-entry", [ours.pk]),
        ("activity-import", [ours.pk]),
    ]:
        assert client.get(reverse(f"campaigns:{name}", args=args)).status_code == 403, name


@pytest.mark.parametrize("role", [R.LEADER, R.INSPECTOR, R.VIEWER])
def test_readers_cannot_open_the_writing_pages(browse, tree, make_user, programs, role):
    ours, _theirs = programs
    client = browse(make_user(role, tree.thai_nguyen))
    assert 'data-testid="enter-activities"' not in text(client.get(reverse("campaigns:program-detail", args=[ours.pk])))
    for name, args in [("program-create", []), ("program-edit", [ours.pk]), ("activity-entry", [ours.pk])]:
        assert client.get(reverse(f"campaigns:{name}", args=args)).status_code == 403, name


def test_writing_pages_of_a_program_out_of_scope_are_404(browse, officer, programs):
    _ours, theirs = programs
    client = browse(officer)
    for name in ("program-edit", "activity-entry", "activity-import", "activity-template"):
        assert client.get(reverse(f"campaigns:{name}", args=[theirs.pk])).status_code == 404, name


def test_anonymous_users_are_sent_to_log_in(client, programs):
    response = client.get(reverse("campaigns:program-list"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- List and detail -----------------------------------------------------------------------------


def test_list_totals_in_vietnamese_number_format(browse, tree, officer, programs):
    make_program(officer, tree.pho_yen, title="Chưa có kế hoạch")  # no planned figures: shown as a dash
    page = text(browse(officer, "vi").get(reverse("campaigns:program-list")))
    assert "None" not in page
    audience = sum(PropagandaActivity.objects.values_list("audience", flat=True))
    assert audience == 2000
    assert re.search(r'data-testid="total-audience">\s*2\.000<', page)
    assert re.search(r'data-testid="total-activities">\s*2<', page)
    assert "4.000" in page  # the planned reach, grouped the Vietnamese way


def test_list_filters_narrow_the_programs_and_their_totals(browse, tree, officer, programs, national):
    other = make_program(national, tree.pho_yen, title="Lừa đảo qua mạng", topics=["cyber_fraud"])
    make_activity(national, other, tree.pho_yen, format="social_media", topic="cyber_fraud", audience=9000)
    client = browse(officer)

    def listed(**params) -> set[str]:
        page = text(client.get(reverse("campaigns:program-list"), params))
        ids = re.findall(r'data-testid="program-row" data-program="(\d+)"', page)
        return set(PropagandaProgram.objects.filter(pk__in=ids).values_list("title", flat=True))

    assert listed() == {"Ma túy học đường", "Lừa đảo qua mạng"}
    assert listed(topic="drugs") == {"Ma túy học đường"}
    assert listed(activity_format="social_media") == {"Lừa đảo qua mạng"}
    assert listed(unit="05860") == {"Lừa đảo qua mạng"}
    assert listed(active_from="01/01/2027") == set()
    page = text(client.get(reverse("campaigns:program-list"), {"activity_format": "social_media"}))
    assert re.search(r'data-testid="total-audience">\s*9,000<', page)


def test_detail_shows_planned_against_achieved_and_the_breakdowns(browse, officer, programs):
    ours, _theirs = programs
    page = text(browse(officer).get(reverse("campaigns:program-detail", args=[ours.pk])))
    achieved = re.search(r'data-testid="achieved-audience">(.*?)</tr>', page, re.S).group(1)
    assert "2,000" in achieved and "4,000" in achieved and "50.0%" in achieved
    activities = re.search(r'data-testid="achieved-activities">(.*?)</tr>', page, re.S).group(1)
    assert ">2<" in activities and ">8<" in activities and "25.0%" in activities
    by_format = re.search(r'data-testid="by-format">(.*?)</section>', page, re.S).group(1)
    assert "School session" in by_format and "1,234" in by_format and "Meeting" in by_format
    by_topic = re.search(r'data-testid="by-topic">(.*?)</section>', page, re.S).group(1)
    assert "Drugs" in by_topic and "Cyber fraud" in by_topic
    assert page.count('data-testid="activity-row"') == 2
    assert "10/03/2026" in page


# --- Program forms -------------------------------------------------------------------------------


def program_form(**overrides) -> dict:
    data = {
        "title": "Tuyên truyền phòng, chống mua bán người",
        "unit": "19",
        "starts_on": "01/02/2026",
        "ends_on": "30/11/2026",
        "topics": ["trafficking", "legal_education"],
        "audience": "Lao động đi làm ăn xa",
        "planned_activities": "12",
        "planned_reach": "3000",
        "description": "",
    }
    data.update(overrides)
    return data


def test_create_a_program(browse, tree, make_user):
    client = browse(make_user(R.PROPAGANDA_OFFICER, tree.thai_nguyen))
    response = client.post(reverse("campaigns:program-create"), program_form())
    program = PropagandaProgram.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:program-detail", args=[program.pk])
    assert (program.unit, program.starts_on, program.topics, program.planned_reach) == (
        tree.thai_nguyen,
        date(2026, 2, 1),
        ["trafficking", "legal_education"],
        3000,
    )


def test_program_form_shows_the_services_refusal_on_its_field(browse, officer):
    client = browse(officer)
    response = client.post(reverse("campaigns:program-create"), program_form(ends_on="01/01/2026"))
    assert response.status_code == 400
    assert re.search(r'data-field="ends_on">The program cannot end \(01/01/2026\)', text(response))
    response = client.post(reverse("campaigns:program-create"), program_form(unit="01", topics=[]))
    assert 'data-field="unit">No unit with code 01 in your scope' in text(response)
    assert 'data-field="topics"' in text(response)
    assert not PropagandaProgram.objects.exists()


def test_edit_a_program_with_its_version(browse, officer, programs):
    ours, _theirs = programs
    client = browse(officer)
    url = reverse("campaigns:program-edit", args=[ours.pk])
    assert "Ma túy học đường" in text(client.get(url))
    data = program_form(title="Ma túy học đường 2026", topics=["drugs", "cyber_fraud"], version="1")
    assert client.post(url, data).status_code == 302
    ours.refresh_from_db()
    assert (ours.title, ours.version) == ("Ma túy học đường 2026", 2)
    response = client.post(url, {**data, "title": "Cũ"})  # still version 1: someone saved meanwhile
    assert response.status_code == 409
    assert "changed by someone else" in text(response)
    ours.refresh_from_db()
    assert ours.title == "Ma túy học đường 2026"


# --- The quick-entry table -----------------------------------------------------------------------


def table(rows: list[dict], total: int = 10) -> dict:
    data = {"rows-TOTAL_FORMS": str(total), "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0"}
    data["rows-MAX_NUM_FORMS"] = "300"
    for i, row in enumerate(rows):
        data.update({f"rows-{i}-{name}": value for name, value in row.items()})
    return data


def row(**values) -> dict:
    return {"on": "02/03/2026", "unit": "05860", "format": "meeting", "topic": "drugs", "audience": "50", **values}


def test_the_table_renders_ten_blank_rows(browse, officer, programs):
    ours, _theirs = programs
    page = text(browse(officer).get(reverse("campaigns:activity-entry", args=[ours.pk])))
    assert page.count('data-testid="entry-row"') == 10
    assert "<script>" not in page  # no inline script: the page works under a strict CSP


def test_the_table_records_every_filled_row(browse, officer, programs):
    ours, _theirs = programs
    before = ours.activities.count()
    rows = [
        row(),
        row(on="03/03/2026", unit="5860", format="loudspeaker", audience="", materials="200"),
        {},  # a blank row in between is skipped
        row(on="2026-03-04", unit="19", format="broadcast", topic="cyber_fraud", audience="12000", note="Đài tỉnh"),
    ]
    response = browse(officer).post(reverse("campaigns:activity-entry", args=[ours.pk]), table(rows))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:program-detail", args=[ours.pk])
    new = list(
        ours.activities.order_by("id")[before:].values_list("on", "unit__code", "format", "audience", "materials")
    )
    assert new == [
        (date(2026, 3, 2), "05860", "meeting", 50, 0),
        (date(2026, 3, 3), "05860", "loudspeaker", 0, 200),
        (date(2026, 3, 4), "19", "broadcast", 12000, 0),
    ]


def test_the_table_refuses_every_row_when_one_is_wrong(browse, officer, programs):
    ours, _theirs = programs
    before = ours.activities.count()
    rows = [row(), row(), row(topic="cyber_fraud", on="02/07/2026"), row(unit="00004")]
    response = browse(officer).post(reverse("campaigns:activity-entry", args=[ours.pk]), table(rows))
    assert response.status_code == 400
    page = text(response)
    errors = re.findall(r'data-testid="field-error" data-row="(\d+)" data-field="(\w+)">([^<]*)<', page)
    # A code outside the area cannot even be read; the rows that can are judged by the rules all the same.
    assert [(r, f) for r, f, _m in errors] == [("3", "on"), ("4", "unit")]
    assert "in the future" in errors[0][2]
    assert "No unit with code 00004" in errors[1][2]
    assert "rows 3, 4 have errors" in page
    assert ours.activities.count() == before
    # With every code right, the service refuses the one bad row, and still nothing is saved.
    rows[3] = row()
    response = browse(officer).post(reverse("campaigns:activity-entry", args=[ours.pk]), table(rows))
    assert response.status_code == 400
    errors = re.findall(r'data-testid="field-error" data-row="(\d+)" data-field="(\w+)">([^<]*)<', text(response))
    assert [(r, f) for r, f, _m in errors] == [("3", "on")]
    assert "in the future" in errors[0][2]
    assert "rows 3 have errors" not in text(response) and "row 3 has errors" in text(response)
    assert ours.activities.count() == before
    assert 'value="02/07/2026"' in text(response)  # what was typed stays for correcting


def test_the_table_wants_at_least_one_row(browse, officer, programs):
    ours, _theirs = programs
    response = browse(officer).post(reverse("campaigns:activity-entry", args=[ours.pk]), table([]))
    assert response.status_code == 400
    assert "Fill in at least one row." in text(response)


def test_add_rows_keeps_what_was_typed_and_saves_nothing(browse, officer, programs):
    ours, _theirs = programs
    before = ours.activities.count()
    data = table([row(note="Thôn Đông"), {}, row(on="05/03/2026")])
    data["add_rows"] = "1"
    response = browse(officer).post(reverse("campaigns:activity-entry", args=[ours.pk]), data)
    assert response.status_code == 200
    page = text(response)
    assert page.count('data-testid="entry-row"') == 20
    assert 'value="Thôn Đông"' in page and 'value="05/03/2026"' in page
    assert 'data-testid="field-error"' not in page
    assert ours.activities.count() == before


def test_list_and_program_pages_take_as_many_queries_for_many_rows_as_for_few(browse, tree, officer, national):
    client = browse(officer)
    program = make_program(national, tree.thai_nguyen, title="Chương trình 0")
    make_activity(national, program, tree.pho_yen)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    list_url, detail_url = reverse("campaigns:program-list"), reverse("campaigns:program-detail", args=[program.pk])
    client.get(list_url)  # the first page of a session also counts the bell's unread notices (then cached)
    few = queries(list_url), queries(detail_url)
    for n in range(1, 40):
        make_program(national, tree.pho_yen if n % 2 else tree.thai_nguyen, title=f"Chương trình {n}")
        make_activity(national, program, tree.pho_yen if n % 2 else tree.legacy_ba_hang, format="leaflets")
    assert (queries(list_url), queries(detail_url)) == few


def test_a_filter_that_cannot_be_read_is_shown_not_fatal(browse, officer, programs):
    response = browse(officer).get(reverse("campaigns:program-list"), {"active_from": "hôm qua"})
    assert response.status_code == 200
    assert 'data-field="active_from"' in text(response)

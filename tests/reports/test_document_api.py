"""GET /api/v1/reports/: the report as PDF or XLSX for a unit in scope; clear 400s, 404 outside scope, schema."""

import io
from datetime import date

import openpyxl
import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import User
from tests.factories import bulk_cases as add_cases

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 11, 28))


@pytest.fixture
def api(tree, make_user):
    add_cases(tree.pho_yen, 7, on=date(2026, 3, 2), cleared_on=date(2026, 4, 1))
    client = APIClient()
    client.force_authenticate(make_user(User.Role.INVESTIGATOR, tree.thai_nguyen))
    return client


def test_xlsx_of_a_unit_in_scope_carries_the_summary_figures(api):
    response = api.get(URL, {"unit": "05860", "period": "2026-9M", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-05860-2026-9M.xlsx"'
    summary = api.get("/api/v1/summaries/", {"unit": "05860", "period": "2026-9M"}).json()["indicators"]
    rows = {row[0].value: row for row in openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows()}
    assert rows["cases_total"][2].value == summary["cases_total"]["value"] == 7
    assert rows["cleared"][2].value == summary["cleared"]["value"]


def test_pdf_is_the_default_format(api):
    response = api.get(URL, {"unit": "19", "period": "2026-Q1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-19-2026-Q1.pdf"'
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "params",
    [
        {"start": "0001-01-07", "end": "0001-01-07"},
        {"period": "0001"},
        {"start": "9999-12-30", "end": "9999-12-31"},
    ],
)
def test_a_period_in_a_year_no_statistics_have_is_a_clear_400(api, params):
    # Found by the API fuzzer: the same period last year of one in year 1 is no date (500); nor are the
    # statistical months after 9999-12-31.
    response = api.get(URL, {"unit": "19", "format": "xlsx", **params}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "is out of range" in response.json()["period"][0]


def test_an_unknown_format_is_a_clear_400(api):
    response = api.get(URL, {"unit": "19", "period": "2026", "format": "docx"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "pdf, xlsx" in response.json()["format"][0]


def test_a_bad_period_is_a_clear_400(api):
    response = api.get(URL, {"unit": "19", "period": "2026-Q7", "format": "pdf"})
    assert response.status_code == 400
    assert response.json()["period"][0]


@pytest.mark.parametrize("unit", ["01", "00004", "VN", "99"])
def test_a_unit_outside_scope_or_missing_is_404(api, unit):
    assert api.get(URL, {"unit": unit, "period": "2026", "format": "xlsx"}).status_code == 404


def test_the_schema_documents_the_binary_responses_and_parameters(api, settings):
    from drf_spectacular.generators import SchemaGenerator

    operation = SchemaGenerator().get_schema(request=None, public=True)["paths"][URL]["get"]
    content = operation["responses"]["200"]["content"]
    assert set(content) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert content["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    assert {"unit", "period", "format"} <= {p["name"] for p in operation["parameters"]}

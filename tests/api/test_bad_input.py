"""Bad input on every write of the API: malformed and out-of-range dates, unknown choices, hostile text,
NUL bytes, a body too large. Each is refused with a message on the field (400) and leaves the data as
it was; none is a server error.

The writes and their in-scope bodies are the access matrix's (an admin of Thái Nguyên may do them all);
the date and choice fields of each come from the OpenAPI schema, so a new field is attacked too.
"""

import pytest
from django.apps import apps
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from portal.accounts.models import User
from tests.api.matrix import Ctx
from tests.api.test_access_matrix import MATRIX

pytestmark = pytest.mark.django_db
R = User.Role

# ("20250901" is ISO 8601's basic form of 1 September 2025: a date, rightly accepted.)
BAD_DATES = ["2025-02-30", "2025-13-01", "01/09/2025", "hôm qua", "0001-01-01", "1900-01-01", "9999-12-31", ""]
BAD_CHOICE = "khong-co-gia-tri-nay"
HOSTILE = '<script>alert("xss")</script><img src=x onerror=alert(1)>=HYPERLINK("http://x")'
WRITES = [row for row in MATRIX if row.method in {"POST", "PATCH"} and R.ADMIN in row.allowed and row.ok in {200, 201}]


def _schema_fields() -> dict[tuple[str, str], dict[str, set[str]]]:
    """(path template, method) -> {"dates": {...}, "choices": {...}, "texts": {...}} of its JSON body."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    def resolve(node):
        while "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def leaf(node):
        node = resolve(node)
        for key in ("allOf", "oneOf"):
            for part in node.get(key, []):
                part = resolve(part)
                if part.get("type") != "null" and ("enum" in part or "format" in part or "type" in part):
                    return part
        return node

    found = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            fields = {"dates": set(), "choices": set(), "texts": set()}
            found[(path, method.upper())] = fields  # an action with no body (mark read) has nothing to spoil
            if not body:
                continue
            for name, prop in resolve(body).get("properties", {}).items():
                node = leaf(prop)
                if node.get("readOnly"):
                    continue
                if node.get("format") == "date":
                    fields["dates"].add(name)
                elif "enum" in node or ("items" in node and "enum" in leaf(node["items"])):
                    fields["choices"].add(name)
                elif node.get("type") == "string" and "format" not in node and "maxLength" in node:
                    fields["texts"].add(name)
    return found


SCHEMA_FIELDS = _schema_fields()


def fields_of(url: str, method: str) -> dict[str, set[str]]:
    """The schema entry whose path template matches this concrete URL."""
    parts = url.strip("/").split("/")
    for (template, m), fields in SCHEMA_FIELDS.items():
        t_parts = template.strip("/").split("/")
        if (
            m == method
            and len(t_parts) == len(parts)
            and all(t.startswith("{") or t == p for t, p in zip(t_parts, parts, strict=True))
        ):
            return fields
    raise AssertionError(f"no schema operation for {method} {url}")


@pytest.fixture
def ctx(tree, make_user):
    return Ctx(
        tree=tree,
        in_user=make_user(R.VIEWER, tree.pho_yen, username="trong.pham.vi"),
        out_user=make_user(R.VIEWER, tree.ba_dinh, username="ngoai.pham.vi"),
    )


@pytest.fixture
def api(ctx, make_user):
    client = APIClient()
    client.force_authenticate(make_user(R.ADMIN, ctx.tree.thai_nguyen))
    return client


def snapshot() -> dict[str, list]:
    """Every row of the portal's own tables (history and the audit trail aside), to compare before/after."""
    rows = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label.split(".")[0] not in {"cases", "campaigns", "oversight", "reports", "units", "accounts"}:
            continue
        if model._meta.model_name.startswith("historical"):
            continue
        rows[label] = sorted(map(repr, model.objects.order_by("pk").values()))
    return rows


def attempt(api, row, ctx, change: dict):
    kwargs, body = row.target(ctx, True)
    url = reverse(f"api:{row.name}", kwargs=kwargs)
    before = snapshot()
    response = getattr(api, row.method.lower())(url, {**(body or {}), **change}, format="json")
    return url, response, before


def assert_refused(response, before, field: str, where: str) -> None:
    assert response.status_code == 400, f"{where}: {response.status_code} {response.content[:300]!r}"
    answer = response.json()
    # Keyed by the field, or by the field it conflicts with (an end before its start), never empty.
    assert isinstance(answer, dict) and answer, f"{where}: {answer}"
    assert all(answer.values()), f"{where}: an empty refusal {answer}"
    assert snapshot() == before, f"{where}: the refused request changed data"


def _url_shape(name: str) -> str:
    """The URL of an endpoint with placeholder ids: enough to find its schema entry at collection time."""
    from django.urls import NoReverseMatch

    for kwargs in ({}, {"pk": 1}, {"pk": 1, "doc_id": 1}, {"pk": 1, "result_pk": 1}):
        try:
            return reverse(f"api:{name}", kwargs=kwargs or None)
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot reverse api:{name}")


def rows_with(kind: str):
    """The writes that have at least one field of this kind (a new one is attacked without a new test)."""
    return [
        pytest.param(row, kind, id=f"{row.method} {row.name}")
        for row in WRITES
        if fields_of(_url_shape(row.name), row.method)[kind]
    ]


@pytest.mark.parametrize(("row", "kind"), rows_with("dates"))
def test_bad_dates_are_refused_on_the_field(row, kind, ctx, api):
    kwargs, _ = row.target(ctx, True)
    url = reverse(f"api:{row.name}", kwargs=kwargs)
    fields = fields_of(url, row.method)[kind]
    for field in sorted(fields):
        for value in BAD_DATES:
            _url, response, before = attempt(api, row, ctx, {field: value})
            assert_refused(response, before, field, f"{row.method} {row.name} {field}={value!r}")


@pytest.mark.parametrize(("row", "kind"), rows_with("choices"))
def test_unknown_choices_are_refused_on_the_field(row, kind, ctx, api):
    kwargs, _ = row.target(ctx, True)
    url = reverse(f"api:{row.name}", kwargs=kwargs)
    fields = fields_of(url, row.method)[kind]
    for field in sorted(fields):
        for value in (BAD_CHOICE, [BAD_CHOICE], 7):
            _url, response, before = attempt(api, row, ctx, {field: value})
            assert_refused(response, before, field, f"{row.method} {row.name} {field}={value!r}")


@pytest.mark.parametrize(("row", "kind"), rows_with("texts"))
def test_nul_bytes_and_overlong_text_are_refused_and_hostile_text_is_kept_as_text(row, kind, ctx, api):
    kwargs, _ = row.target(ctx, True)
    url = reverse(f"api:{row.name}", kwargs=kwargs)
    fields = fields_of(url, row.method)[kind]
    for field in sorted(fields):
        for value in ("tên\x00ẩn", "x" * 100_000):
            _url, response, before = attempt(api, row, ctx, {field: value})
            assert_refused(response, before, field, f"{row.method} {row.name} {field}={value[:12]!r}")
    # Markup and formulas are only text: accepted or refused for other reasons, never a server error.
    for field in sorted(fields):
        _url, response, _before = attempt(api, row, ctx, {field: HOSTILE})
        assert response.status_code < 500, f"{row.method} {row.name} {field}: {response.status_code}"


def test_a_body_larger_than_the_limit_is_refused_cleanly(ctx, api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    before = snapshot()
    body = {"title": "x" * (2 * 1024 * 1024), "category": "173", "severity": "serious", "recorded_on": "2025-09-01"}
    response = api.post(reverse("api:case-list"), body, format="json")
    assert response.status_code in {400, 413}
    assert snapshot() == before

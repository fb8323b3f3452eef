"""Forms for screen readers and keyboards: every field has a label, an error is tied to its field
(aria-invalid, aria-describedby naming the error's id) and the form-level message is an alert."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from portal.accounts.models import User

pytestmark = pytest.mark.django_db
R = User.Role
FIELDS = {"input", "select", "textarea"}
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class Tags(HTMLParser):
    """Every start tag of a page in order, with its attributes, and the text inside each element with an id."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text_of: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag not in {"input", "br", "hr", "img", "meta", "link"}:
            self._open.append(attrs.get("id"))
            if attrs.get("id"):
                self.text_of[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if self._open and tag not in {"input", "br", "hr", "img", "meta", "link"}:
            self._open.pop()

    def handle_data(self, data):
        for element_id in filter(None, self._open):
            self.text_of[element_id] += data


def parse(response) -> Tags:
    tags = Tags()
    tags.feed(response.content.decode())
    return tags


def form_fields(tags: Tags) -> list[dict]:
    return [
        attrs
        for tag, attrs in tags.tags
        if tag in FIELDS and attrs.get("type") not in UNLABELLED_TYPES and "data-no-label-check" not in attrs
    ]


FORMS = [
    ("cases:create", R.STANDING_OFFICER, ["title", "category", "severity", "unit"]),
    ("campaigns:campaign-create", R.STANDING_OFFICER, ["name", "lead_unit", "starts_on"]),
    ("campaigns:hotspot-create", R.STANDING_OFFICER, ["name", "unit"]),
    ("campaigns:program-create", R.STANDING_OFFICER, ["title", "unit", "topics"]),
    ("oversight:inspection-create", R.INSPECTOR, ["inspecting_body", "topics"]),
    ("oversight:recommendation-create", R.STANDING_OFFICER, ["title", "text"]),
]


@pytest.mark.parametrize("name, role, required", FORMS, ids=[f[0] for f in FORMS])
def test_every_field_of_a_form_has_a_label(name, role, required, client, tree, make_user):
    client.force_login(make_user(role, tree.thai_nguyen))
    tags = parse(client.get(reverse(name)))
    labelled = {attrs["for"] for tag, attrs in tags.tags if tag == "label" and attrs.get("for")}
    unlabelled = [
        attrs.get("name") or attrs.get("id")
        for attrs in form_fields(tags)
        if attrs.get("id") not in labelled and not attrs.get("aria-label") and not attrs.get("aria-labelledby")
    ]
    assert unlabelled == [], f"{name}: fields without a label: {unlabelled}"


@pytest.mark.parametrize("name, role, required", FORMS, ids=[f[0] for f in FORMS])
def test_errors_are_tied_to_their_fields_and_announced(name, role, required, client, tree, make_user):
    client.force_login(make_user(role, tree.thai_nguyen))
    response = client.post(reverse(name), {})
    assert response.status_code in {200, 400}  # the form again, with what is missing
    tags = parse(response)
    alerts = [attrs for tag, attrs in tags.tags if attrs.get("role") == "alert"]
    assert any(a.get("data-testid") == "form-errors" for a in alerts), f"{name}: no role=alert summary"
    invalid = {attrs.get("name"): attrs for attrs in form_fields(tags) if attrs.get("aria-invalid") == "true"}
    groups = {  # a group of checkboxes: the fieldset carries the description
        attrs["aria-describedby"].split()[-1].removeprefix("id_").removesuffix("_error"): attrs
        for tag, attrs in tags.tags
        if tag == "fieldset" and "_error" in attrs.get("aria-describedby", "")
    }
    for field in required:
        attrs = groups.get(field) or invalid.get(field)
        assert attrs is not None, f"{name}: {field} is not marked invalid"
        described = attrs.get("aria-describedby", "").split()
        error_id = f"id_{field}_error"
        assert error_id in described, f"{name}: {field} is not described by its error ({described})"
        assert tags.text_of.get(error_id, "").strip(), f"{name}: {field}'s error element {error_id} is missing or empty"
        for other in described:
            assert other in tags.text_of, f"{name}: {field} is described by a missing element #{other}"

"""The audit trail: every create, update and delete of a domain object and every export, download and
import names who, when, what and from where; nobody can change or delete it; admins search it in scope."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import get_resolver, reverse
from rest_framework.test import APIClient

from cases.models import Case
from portal.accounts.models import User
from portal.audit.models import AuditEvent
from portal.audit.services import audit_record
from tests.api import matrix_inspections as inspections
from tests.api.matrix import Ctx
from tests.api.test_access_matrix import case_of
from tests.cases.test_import import csv_bytes, row
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db
R = User.Role
OFFICE = "10.19.0.42"  # the officer's desk on the provincial intranet


@pytest.fixture
def officer(tree, make_user):
    CategoryFactory(article="173")
    return make_user(R.STANDING_OFFICER, tree.thai_nguyen, username="tt.tn")


@pytest.fixture
def api(officer):
    client = APIClient(REMOTE_ADDR=OFFICE)
    client.force_authenticate(officer)
    return client


def events(**filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def test_creating_and_changing_a_case_names_who_what_when_and_from_where(tree, officer, api):
    body = {"title": "Trộm cắp xe máy", "category": "173", "severity": "serious", "unit": tree.pho_yen.pk}
    created = api.post(reverse("api:case-list"), {**body, "recorded_on": "2025-09-01"}, format="json").json()
    api.patch(reverse("api:case-detail", args=[created["id"]]), {"title": "Trộm xe", "version": 1}, format="json")

    case = Case.objects.get(pk=created["id"])
    create, update = events(object_type="cases.case", object_id=str(case.pk))
    assert (create.action, update.action) == ("create", "update")
    for event in (create, update):
        assert event.actor == officer and event.actor_name == "tt.tn"
        assert event.ip_address == OFFICE
        assert event.actor_unit_path == tree.thai_nguyen.path
        assert case.reference in event.object_repr
    assert create.path == "POST /api/v1/cases/"
    assert update.path == f"PATCH /api/v1/cases/{case.pk}/"
    # The event points at the history record that says what changed.
    assert case.history.get(history_id=update.history_id).title == "Trộm xe"
    assert case.history.get(history_id=create.history_id).history_type == "+"


def test_a_deletion_is_recorded(tree, make_user):
    from tests.api import matrix_propaganda as propaganda

    ctx = Ctx(tree=tree, in_user=None, out_user=None)
    activity = propaganda.activity_of(ctx, True)
    writer = make_user(R.PROPAGANDA_OFFICER, tree.thai_nguyen)
    client = APIClient(REMOTE_ADDR=OFFICE)
    client.force_authenticate(writer)
    assert client.delete(reverse("api:activity-detail", args=[activity.pk])).status_code == 204
    (deleted,) = events(action="delete", object_type="campaigns.propagandaactivity")
    assert deleted.object_id == str(activity.pk) and deleted.actor == writer and deleted.ip_address == OFFICE


def test_exports_and_downloads_are_recorded(tree, officer, client, run_jobs):
    client.defaults["REMOTE_ADDR"] = OFFICE
    client.force_login(officer)
    case_of(Ctx(tree=tree, in_user=None, out_user=None), True)
    # Both files are built in the background; taking the file is what the trail records.
    assert client.post(reverse("cases:export") + "?format=csv&status=received").status_code == 302
    assert client.post(reverse("reports:document-xlsx") + "?unit=19&period=2025").status_code == 302
    assert not events(action__in=["export", "download"])
    for job_id in run_jobs():
        assert client.get(reverse("jobs:download", args=[job_id])).status_code == 200

    export, report = events(action__in=["export", "download"])
    assert (export.action, export.object_type, export.object_repr) == ("export", "cases.case", "csv")
    assert "status=received" in export.detail and export.ip_address == OFFICE
    assert (report.action, report.object_type, report.object_id) == ("download", "units.unit", str(tree.thai_nguyen.pk))
    assert report.detail == "report 2025 xlsx"


def test_downloading_an_inspection_document_is_recorded(tree, make_user, client):
    ctx = Ctx(tree=tree, in_user=None, out_user=None)
    kwargs, _ = inspections.document_obj(ctx, True)
    reader = make_user(R.LEADER, tree.thai_nguyen)
    client.force_login(reader)
    url = reverse("oversight:document-download", kwargs={"pk": kwargs["pk"], "doc": kwargs["doc_id"]})
    assert client.get(url).status_code == 200
    (download,) = events(action="download")
    assert download.object_type == "oversight.inspectiondocument" and download.object_repr == "bien-ban.pdf"
    assert download.actor == reader


def test_an_import_is_one_event_with_its_count(tree, officer, client):
    client.force_login(officer)
    upload = SimpleUploadedFile("vu-an-thang-9.csv", csv_bytes([row(), row(title="Vụ thứ hai")]))
    response = client.post(reverse("cases:import"), {"file": upload})
    assert response.status_code in {200, 302}
    (imported,) = events(action="import")
    assert imported.actor == officer and imported.object_repr == "vu-an-thang-9.csv"
    assert imported.detail.startswith("2 cases: ")


def test_work_done_outside_a_request_has_no_address(tree, officer):
    from tests.factories import make_case

    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 9, 1))
    (event,) = events(object_type="cases.case", object_id=str(case.pk))
    assert event.ip_address is None and event.path == ""


# --- Nobody changes it ------------------------------------------------------------------------------


def test_the_admin_shows_the_trail_read_only_and_in_scope(tree, make_user, client):
    admin = make_user(R.ADMIN, tree.thai_nguyen)
    ours = audit_record(action="update", actor=make_user(R.VIEWER, tree.pho_yen, username="xem.py"), object_type="x.y")
    theirs = audit_record(
        action="update", actor=make_user(R.VIEWER, tree.ba_dinh, username="xem.bd"), object_type="x.y"
    )
    client.force_login(admin)
    listing = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()
    assert "xem.py" in listing and "xem.bd" not in listing
    assert "delete_selected" not in listing
    # Search by user, filter by action and date.
    found = client.get(reverse("admin:audit_auditevent_changelist"), {"q": "xem.py", "action": "update"})
    assert found.context["cl"].result_count == 1
    today = date.today()
    by_day = client.get(
        reverse("admin:audit_auditevent_changelist"),
        {"at__day": today.day, "at__month": today.month, "at__year": today.year},
    )
    assert by_day.status_code == 200 and by_day.context["cl"].result_count >= 1

    change = reverse("admin:audit_auditevent_change", args=[ours.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change, {"actor_name": "ai-do"}).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[ours.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_change", args=[theirs.pk])).status_code == 302
    ours.refresh_from_db()
    assert ours.actor_name == "xem.py"


@pytest.mark.parametrize("role", [R.LEADER, R.STANDING_OFFICER])
def test_only_admins_read_the_trail(role, tree, make_user, client):
    client.force_login(make_user(role, tree.thai_nguyen))
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403


def test_the_api_has_no_door_to_the_trail():
    api = next(p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/")
    assert api.url_patterns and not any("audit" in str(p.pattern) for p in api.url_patterns)


@pytest.mark.django_db(transaction=True)
def test_postgresql_itself_refuses_to_change_or_delete_a_row(tree, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's (SQLite's test flush deletes rows)")
    event = audit_record(action="update", actor=make_user(R.VIEWER, tree.pho_yen), object_type="x.y")
    for statement in ("UPDATE audit_auditevent SET actor_name = 'ai-do'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    event.refresh_from_db()
    assert event.actor_name != "ai-do"


def test_a_log_in_is_not_a_change_of_the_user_but_a_real_change_is(tree, make_user, client):
    from tests.factories import TEST_PASSWORD

    viewer = make_user(R.VIEWER, tree.pho_yen, username="xem.py")
    before = AuditEvent.objects.filter(object_type="accounts.user").count()
    client.post(reverse("accounts:login"), {"username": "xem.py", "password": TEST_PASSWORD})
    assert AuditEvent.objects.filter(object_type="accounts.user").count() == before
    viewer.full_name = "Nguyễn Thị Xem"
    viewer.save()
    assert AuditEvent.objects.filter(object_type="accounts.user", action="update").count() == 1

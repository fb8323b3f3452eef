"""Good-practice model pages: list, access (403/404), the file and its forms (move, replicate, evaluate), edits."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import GoodPracticeModel, ModelEvaluation, ModelReplication
from campaigns.services import model_create, model_replicate, model_transition, model_update
from portal.accounts.models import User
from tests.campaigns.conftest import DAY
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
R = User.Role
READERS = [R.ADMIN, R.LEADER, R.STANDING_OFFICER, R.PROPAGANDA_OFFICER, R.INSPECTOR, R.VIEWER]
WRITERS = {R.ADMIN, R.STANDING_OFFICER, R.PROPAGANDA_OFFICER}
# session, user, the user's unit (navigation bar), count, the page of models (units joined), their replications
# with units; then the session is saved (renewed on every request).
MODEL_LIST_QUERIES = 9


@pytest.fixture
def browse(client):
    def log_in(user):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return log_in


def page_text(response) -> str:
    return response.content.decode()


def make_model(actor, unit, *, name="Camera an ninh khu dân cư", field="crime_prevention", on=DAY):
    return model_create(actor=actor, unit=unit, name=name, field=field, started_on=on)


def listed_ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="model-row" data-id="(\d+)"', page_text(response))]


@pytest.fixture
def hanoi_officer(make_user, tree):
    return make_user(R.STANDING_OFFICER, tree.ha_noi, username="tt.hn")


@pytest.fixture
def models(tree, officer, hanoi_officer):
    camera = make_model(officer, tree.thai_nguyen)
    zalo = make_model(officer, tree.pho_yen, name="Nhóm Zalo an ninh", field="cyber", on=date(2026, 2, 1))
    hanoi = make_model(hanoi_officer, tree.ha_noi, name="Tổ tự quản", on=date(2026, 1, 5))
    model_replicate(model=camera, unit=tree.pho_yen, replicated_on=date(2026, 4, 2), actor=officer)
    return camera, zalo, hanoi


# --- List --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_the_models_of_its_scope_with_the_units_replicated_to(browse, tree, make_user, models, role):
    camera, zalo, _hanoi = models

    response = browse(make_user(role, tree.thai_nguyen)).get(reverse("campaigns:model-list"))

    assert response.status_code == 200
    assert listed_ids(response) == [camera.pk, zalo.pk]
    page = page_text(response)
    assert re.search(r'data-testid="replicated-to">Phường Phổ Yên</td>', page)
    assert "Tổ tự quản" not in page and "10/03/2026" in page
    assert ('data-testid="new-model"' in page) is (role in WRITERS)


def test_list_filters_by_unit_field_and_status(browse, tree, officer, models):
    camera, zalo, _hanoi = models
    model_transition(model=camera, to="effective", on=date(2026, 4, 1), actor=officer, version=1)
    client = browse(officer)
    url = reverse("campaigns:model-list")

    assert listed_ids(client.get(url, {"unit": "05860"})) == [zalo.pk]
    assert listed_ids(client.get(url, {"field": "cyber"})) == [zalo.pk]
    assert listed_ids(client.get(url, {"status": "effective"})) == [camera.pk]


def test_list_page_makes_the_same_number_of_queries_for_10_and_60_models(
    browse, tree, officer, django_assert_max_num_queries
):
    communes = [UnitFactory(parent=tree.thai_nguyen, kind="xa") for _ in range(3)]

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            model = make_model(officer, tree.thai_nguyen, name=f"Mô hình {i}")
            for commune in communes[: i % 4]:
                model_replicate(model=model, unit=commune, replicated_on=date(2026, 4, 1), actor=officer)

    client = browse(officer)
    add(10, 0)
    client.get(reverse("campaigns:model-list"))  # warm the session

    with django_assert_max_num_queries(MODEL_LIST_QUERIES), CaptureQueriesContext(connection) as ten:
        assert len(listed_ids(client.get(reverse("campaigns:model-list")))) == 10
    add(50, 10)
    with django_assert_max_num_queries(MODEL_LIST_QUERIES), CaptureQueriesContext(connection) as sixty:
        assert len(listed_ids(client.get(reverse("campaigns:model-list"), {"page": 2}))) == 10
    with django_assert_max_num_queries(MODEL_LIST_QUERIES), CaptureQueriesContext(connection) as fifty:
        assert len(listed_ids(client.get(reverse("campaigns:model-list")))) == 50

    assert len(ten) == len(sixty) == len(fifty)


# --- Access ------------------------------------------------------------------------------------


def model_urls(model: GoodPracticeModel) -> list[str]:
    return [reverse("campaigns:model-detail", args=[model.pk]), reverse("campaigns:model-edit", args=[model.pk])]


POSTS = {
    "campaigns:model-edit": {"name": "Đổi", "field": "cyber", "unit": "19", "started_on": "10/03/2026", "version": 1},
    "campaigns:model-transition": {"to": "effective", "on": "01/04/2026", "version": 1},
    "campaigns:model-replicate": {"unit": "05860", "replicated_on": "01/04/2026"},
    "campaigns:model-evaluate": {"on": "01/04/2026", "evaluator": "Đoàn kiểm tra", "text": "Tốt"},
}


def test_investigators_get_403_on_every_model_page(browse, tree, make_user, models):
    camera, _zalo, _hanoi = models
    client = browse(make_user(R.INVESTIGATOR, tree.thai_nguyen))

    for url in [reverse("campaigns:model-list"), reverse("campaigns:model-create"), *model_urls(camera)]:
        assert client.get(url).status_code == 403, url
    for name, data in POSTS.items():
        assert client.post(reverse(name, args=[camera.pk]), data).status_code == 403, name


def test_model_of_another_province_answers_404_on_every_url(browse, tree, models, hanoi_officer):
    camera, _zalo, _hanoi = models
    client = browse(hanoi_officer)

    for url in model_urls(camera):
        assert client.get(url).status_code == 404, url
    for name, data in POSTS.items():
        assert client.post(reverse(name, args=[camera.pk]), data).status_code == 404, name
    camera.refresh_from_db()
    assert (camera.name, camera.status, camera.version, camera.evaluations.count()) == (
        "Camera an ninh khu dân cư",
        "pilot",
        1,
        0,
    )


@pytest.mark.parametrize("role", [R.LEADER, R.INSPECTOR, R.VIEWER])
def test_read_only_roles_see_the_file_without_forms_and_get_403_on_writes(browse, tree, make_user, models, role):
    camera, _zalo, hanoi = models
    client = browse(make_user(role, tree.thai_nguyen))

    page = page_text(client.get(reverse("campaigns:model-detail", args=[camera.pk])))
    assert "Camera an ninh khu dân cư" in page
    for form in ("move-effective", "replication-form", "evaluation-form", "edit-model"):
        assert f'data-testid="{form}"' not in page
    assert client.get(reverse("campaigns:model-create")).status_code == 403
    for model in (camera, hanoi):
        assert client.get(reverse("campaigns:model-edit", args=[model.pk])).status_code == 403
        for name, data in POSTS.items():
            assert client.post(reverse(name, args=[model.pk]), data).status_code == 403, name
    assert GoodPracticeModel.objects.get(pk=camera.pk).version == 1


def test_action_urls_only_accept_posts(browse, tree, officer, models):
    client = browse(officer)
    for name in ("campaigns:model-transition", "campaigns:model-replicate", "campaigns:model-evaluate"):
        assert client.get(reverse(name, args=[models[0].pk])).status_code == 405, name


# --- The file ----------------------------------------------------------------------------------


def test_file_shows_fields_replications_evaluations_and_the_forms(browse, tree, officer, models):
    camera, _zalo, _hanoi = models
    ModelEvaluation.objects.create(
        model=camera, on=date(2026, 5, 2), evaluator="Đoàn kiểm tra tỉnh", text="Tốt", rating=4
    )

    page = page_text(browse(officer).get(reverse("campaigns:model-detail", args=[camera.pk])))

    assert "Crime prevention" in page and "10/03/2026" in page
    assert re.findall(r'data-testid="replication" data-unit="(\w+)"', page) == ["05860"]
    assert "02/04/2026" in page and "Đoàn kiểm tra tỉnh" in page and "4/5" in page
    assert set(re.findall(r'data-testid="move-(\w+)"', page)) == {"effective"}
    assert 'data-testid="replication-form"' in page and 'data-testid="evaluation-form"' in page
    assert 'name="version" value="1"' in page


def test_moves_through_the_lifecycle_with_messages(browse, tree, officer, models):
    camera, _zalo, _hanoi = models
    client = browse(officer)

    response = client.post(
        reverse("campaigns:model-transition", args=[camera.pk]), {"to": "effective", "on": "01/04/2026", "version": 1}
    )
    assert response.status_code == 302 and response["Location"] == reverse("campaigns:model-detail", args=[camera.pk])
    response = client.post(
        reverse("campaigns:model-transition", args=[camera.pk]), {"to": "replicated", "on": "03/04/2026", "version": 2}
    )
    page = page_text(client.get(response["Location"]))

    assert "The model is now “Replicated”." in page and 'data-testid="final-status"' in page
    camera.refresh_from_db()
    assert (camera.status, camera.effective_on, camera.replicated_on, camera.version) == (
        "replicated",
        date(2026, 4, 1),
        date(2026, 4, 3),
        3,
    )


def test_replicated_before_any_replication_is_refused_with_the_message(browse, tree, officer):
    model = make_model(officer, tree.thai_nguyen)
    model = model_transition(model=model, to="effective", on=date(2026, 4, 1), actor=officer, version=1)

    response = browse(officer).post(
        reverse("campaigns:model-transition", args=[model.pk]), {"to": "replicated", "on": "02/04/2026", "version": 2}
    )

    assert response.status_code == 200
    assert "Record at least one unit the model was replicated to before marking it replicated." in page_text(response)
    assert GoodPracticeModel.objects.get(pk=model.pk).status == "effective"


def test_illegal_move_names_the_allowed_ones(browse, tree, officer, models):
    camera, _zalo, _hanoi = models

    response = browse(officer).post(
        reverse("campaigns:model-transition", args=[camera.pk]), {"to": "replicated", "on": "01/04/2026", "version": 1}
    )

    assert "cannot move to Replicated. Allowed moves: Effective." in page_text(response)
    assert GoodPracticeModel.objects.get(pk=camera.pk).status == "pilot"


def test_stale_move_is_refused_and_nothing_changes(browse, tree, officer, make_user, models):
    camera, _zalo, _hanoi = models
    model_update(model=camera, actor=make_user(R.PROPAGANDA_OFFICER, tree.thai_nguyen), version=1, name="Camera 2")

    response = browse(officer).post(
        reverse("campaigns:model-transition", args=[camera.pk]), {"to": "effective", "on": "01/04/2026", "version": 1}
    )

    page = page_text(response)
    assert "changed by someone else" in page and 'name="version" value="2"' in page
    assert GoodPracticeModel.objects.get(pk=camera.pk).status == "pilot"


def test_replication_form_records_a_unit_and_refuses_a_second_time(browse, tree, officer, models):
    _camera, zalo, _hanoi = models
    client = browse(officer)
    url = reverse("campaigns:model-replicate", args=[zalo.pk])

    response = client.post(url, {"unit": "19", "replicated_on": "05/04/2026"})
    assert response.status_code == 302
    assert "Replication to Tỉnh Thái Nguyên on 05/04/2026 recorded." in page_text(client.get(response["Location"]))

    again = client.post(url, {"unit": "19", "replicated_on": "06/04/2026"})
    assert again.status_code == 200
    assert re.search(r'data-field="unit">The model was already replicated to Tỉnh Thái Nguyên', page_text(again))
    outside = client.post(url, {"unit": "00004", "replicated_on": "06/04/2026"})
    assert re.search(r'data-field="unit">No unit with code 00004 in your scope', page_text(outside))
    assert 'value="00004"' in page_text(outside)  # the input is kept
    assert list(ModelReplication.objects.filter(model=zalo).values_list("unit__code", flat=True)) == ["19"]


def test_evaluation_form_records_an_evaluation_from_the_unit_above(browse, tree, make_user, models):
    camera, _zalo, _hanoi = models
    commune_officer = make_user(R.PROPAGANDA_OFFICER, tree.pho_yen)
    zalo = models[1]
    client = browse(commune_officer)

    response = client.post(
        reverse("campaigns:model-evaluate", args=[zalo.pk]),
        {
            "on": "02/05/2026",
            "evaluator": "Ban Chỉ đạo 138 tỉnh",
            "evaluator_unit": "19",
            "text": "Hiệu quả",
            "rating": "5",
        },
    )

    assert response.status_code == 302
    evaluation = ModelEvaluation.objects.get(model=zalo)
    assert (evaluation.on, evaluation.evaluator_unit, evaluation.rating, evaluation.text) == (
        date(2026, 5, 2),
        tree.thai_nguyen,
        5,
        "Hiệu quả",
    )
    assert "Evaluation recorded." in page_text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"on": "01/01/2026"}, "on", "is before the start date"),
        ({"on": "02/06/2026"}, "on", "is in the future"),
        ({"rating": "6"}, "rating", "Select a valid choice"),
        ({"evaluator_unit": "00004"}, "evaluator_unit", "No unit with code 00004 among the units you can see."),
        ({"text": ""}, "text", "This field is required."),
    ],
)
def test_refused_evaluation_is_shown_on_its_field(browse, tree, officer, models, overrides, field, message):
    camera, _zalo, _hanoi = models
    data = {
        "on": "02/05/2026",
        "evaluator": "Đoàn kiểm tra",
        "evaluator_unit": "",
        "text": "Tốt",
        "rating": "",
        **overrides,
    }

    response = browse(officer).post(reverse("campaigns:model-evaluate", args=[camera.pk]), data)

    assert response.status_code == 200
    assert re.search(rf'data-field="{field}">[^<]*{re.escape(message)}', page_text(response))
    assert not ModelEvaluation.objects.exists()


# --- Record and edit ---------------------------------------------------------------------------


def test_propaganda_officer_records_and_edits_a_model_through_the_forms(browse, tree, make_user):
    officer = make_user(R.PROPAGANDA_OFFICER, tree.thai_nguyen)
    client = browse(officer)
    data = {"name": "Camera an ninh", "field": "crime_prevention", "unit": "05860", "started_on": "10/03/2026"}

    response = client.post(reverse("campaigns:model-create"), {**data, "description": "Lắp 40 camera"})

    model = GoodPracticeModel.objects.get()
    assert response["Location"] == reverse("campaigns:model-detail", args=[model.pk])
    assert (model.unit, model.started_on, model.created_by, model.description) == (
        tree.pho_yen,
        DAY,
        officer,
        "Lắp 40 camera",
    )
    form = page_text(client.get(reverse("campaigns:model-edit", args=[model.pk])))
    assert 'value="05860"' in form and 'value="10/03/2026"' in form

    response = client.post(
        reverse("campaigns:model-edit", args=[model.pk]), {**data, "name": "Camera AI", "version": 1}
    )
    assert response.status_code == 302
    model.refresh_from_db()
    assert (model.name, model.version) == ("Camera AI", 2)


def test_stale_model_edit_shows_the_changes_and_overwrites_nothing(browse, tree, officer, make_user, models):
    camera, _zalo, _hanoi = models
    model_update(model=camera, actor=make_user(R.PROPAGANDA_OFFICER, tree.thai_nguyen), version=1, field="drugs")
    data = {"name": "Tên của tôi", "field": "crime_prevention", "unit": "19", "started_on": "10/03/2026", "version": 1}

    response = browse(officer).post(reverse("campaigns:model-edit", args=[camera.pk]), data)

    page = page_text(response)
    assert 'data-testid="stale-changes"' in page and "Drugs" in page
    assert 'value="Tên của tôi"' in page and 'name="version" value="2"' in page
    camera.refresh_from_db()
    assert (camera.name, camera.field, camera.version) == ("Camera an ninh khu dân cư", "drugs", 2)


def test_model_unit_outside_scope_is_refused_on_the_field(browse, tree, officer):
    data = {"name": "X", "field": "cyber", "unit": "01", "started_on": "10/03/2026"}
    response = browse(officer).post(reverse("campaigns:model-create"), data)
    assert re.search(r'data-field="unit">No unit with code 01 in your scope', page_text(response))
    assert not GoodPracticeModel.objects.exists()

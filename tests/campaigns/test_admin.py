"""The hotspot and good-practice model admin: scoped, inlines shown, edits through the services."""

import pytest
from django.urls import reverse

from campaigns.models import GoodPracticeModel, Hotspot
from campaigns.services import hotspot_create, model_create, model_evaluate, model_replicate
from portal.accounts.models import User
from tests.campaigns.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotspots(tree, national):
    ours = hotspot_create(actor=national, unit=tree.pho_yen, kind="drugs", name="Bãi sông Cầu", identified_on=DAY)
    theirs = hotspot_create(actor=national, unit=tree.ba_dinh, kind="theft", name="Chợ Ngọc Hà", identified_on=DAY)
    return ours, theirs


@pytest.fixture
def models(tree, national):
    ours = model_create(actor=national, unit=tree.thai_nguyen, name="Camera an ninh", field="other", started_on=DAY)
    theirs = model_create(actor=national, unit=tree.ha_noi, name="Tổ tự quản", field="other", started_on=DAY)
    model_replicate(model=ours, unit=tree.pho_yen, replicated_on=DAY, actor=national)
    model_evaluate(model=ours, actor=national, on=DAY, evaluator="Ban Chỉ đạo 138 tỉnh", text="Hiệu quả", rating=4)
    return ours, theirs


def hotspot_form(hotspot: Hotspot, **overrides) -> dict:
    count = hotspot.events.count()
    data = {
        "name": hotspot.name,
        "kind": hotspot.kind,
        "description": hotspot.description,
        "latitude": "",
        "longitude": "",
        "expected_version": hotspot.version,
        "events-TOTAL_FORMS": count,
        "events-INITIAL_FORMS": count,
        "events-MIN_NUM_FORMS": 0,
        "events-MAX_NUM_FORMS": 1000,
    }
    for i, pk in enumerate(hotspot.events.values_list("pk", flat=True)):
        data.update({f"events-{i}-id": pk, f"events-{i}-hotspot": hotspot.pk})
    data.update(overrides)
    return data


def test_hotspot_admin_is_scoped(client, tree, make_user, hotspots):
    ours, theirs = hotspots
    client.force_login(make_user(User.Role.LEADER, tree.thai_nguyen))
    page = client.get(reverse("admin:campaigns_hotspot_changelist")).content.decode()
    assert ours.name in page and theirs.name not in page
    assert client.get(reverse("admin:campaigns_hotspot_change", args=[ours.pk])).status_code == 200
    assert client.get(reverse("admin:campaigns_hotspot_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:campaigns_hotspot_history", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("admin:campaigns_hotspot_history", args=[ours.pk])).status_code == 200


def test_hotspot_admin_edit_goes_through_the_service(client, tree, make_user, hotspots):
    ours, _ = hotspots
    client.force_login(make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen))
    url = reverse("admin:campaigns_hotspot_change", args=[ours.pk])
    response = client.post(url, hotspot_form(ours, name="Bãi sông Cầu (bến cũ)"))
    assert response.status_code == 302, [str(e) for e in response.context["errors"]]
    ours.refresh_from_db()
    assert (ours.name, ours.version) == ("Bãi sông Cầu (bến cũ)", 2)
    assert ours.events.filter(kind="edited").exists()
    response = client.post(url, hotspot_form(ours, name="Cũ", expected_version=1))
    assert response.status_code == 200  # stale: refused on the form
    ours.refresh_from_db()
    assert ours.name == "Bãi sông Cầu (bến cũ)"


def test_leader_may_read_but_not_change_hotspots(client, tree, make_user, hotspots):
    ours, _ = hotspots
    client.force_login(make_user(User.Role.LEADER, tree.thai_nguyen))
    response = client.post(reverse("admin:campaigns_hotspot_change", args=[ours.pk]), hotspot_form(ours, name="X"))
    assert response.status_code == 403


def test_model_admin_is_scoped_and_shows_replications_and_evaluations(client, tree, make_user, models):
    ours, theirs = models
    client.force_login(make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen))
    page = client.get(reverse("admin:campaigns_goodpracticemodel_changelist")).content.decode()
    assert ours.name in page and theirs.name not in page
    page = client.get(reverse("admin:campaigns_goodpracticemodel_change", args=[ours.pk])).content.decode()
    assert "Phường Phổ Yên" in page and "Ban Chỉ đạo 138 tỉnh" in page
    assert client.get(reverse("admin:campaigns_goodpracticemodel_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:campaigns_goodpracticemodel_history", args=[theirs.pk])).status_code == 404
    assert GoodPracticeModel.objects.count() == 2

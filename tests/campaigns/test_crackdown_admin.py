"""The campaign admin: scoped lists and history, read-only inlines, edits through the service with the version."""

import pytest
from django.urls import reverse

from campaigns.models import Campaign
from campaigns.services import campaign_create
from portal.accounts.models import User

from .crackdown_fixtures import END, START

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns(tree, national):
    ours = campaign_create(
        actor=national,
        name="Cao điểm Thái Nguyên",
        lead_unit=tree.thai_nguyen,
        starts_on=START,
        ends_on=END,
        targets={"cases_cleared": 5},
    )
    theirs = campaign_create(
        actor=national, name="Cao điểm Hà Nội", lead_unit=tree.ha_noi, starts_on=START, ends_on=END
    )
    return ours, theirs


def campaign_form(campaign: Campaign, **overrides) -> dict:
    data = {"name": campaign.name, "description": campaign.description, "expected_version": campaign.version}
    for prefix, count in (("targets", campaign.targets.count()), ("results", campaign.results.count())):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": count,
                f"{prefix}-INITIAL_FORMS": count,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
    for i, pk in enumerate(campaign.targets.values_list("pk", flat=True)):
        data.update({f"targets-{i}-id": pk, f"targets-{i}-campaign": campaign.pk})
    data.update(overrides)
    return data


def test_campaign_admin_is_scoped(client, tree, make_user, campaigns):
    ours, theirs = campaigns
    client.force_login(make_user(User.Role.LEADER, tree.thai_nguyen))
    page = client.get(reverse("admin:campaigns_campaign_changelist")).content.decode()
    assert ours.name in page and theirs.name not in page
    assert client.get(reverse("admin:campaigns_campaign_change", args=[ours.pk])).status_code == 200
    assert client.get(reverse("admin:campaigns_campaign_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:campaigns_campaign_history", args=[theirs.pk])).status_code == 404


def test_campaign_admin_edit_goes_through_the_service(client, tree, make_user, campaigns):
    ours, _ = campaigns
    client.force_login(make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen))
    url = reverse("admin:campaigns_campaign_change", args=[ours.pk])
    response = client.post(url, campaign_form(ours, name="Cao điểm Tết"))
    assert response.status_code == 302, [str(e) for e in response.context["errors"]]
    ours.refresh_from_db()
    assert (ours.name, ours.version) == ("Cao điểm Tết", 2)
    response = client.post(url, campaign_form(ours, name="Cũ", expected_version=1))
    assert response.status_code == 200  # stale: refused on the form
    ours.refresh_from_db()
    assert ours.name == "Cao điểm Tết"

"""The propaganda admin: scoped lists and forms, corrections through the services with the version check."""

import pytest
from django.urls import reverse

from campaigns.models import PropagandaActivity
from portal.accounts.models import User
from tests.campaigns.propaganda_helpers import make_activity, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, tree, make_user):
    # A provincial administrator; superuser so the model permissions (not yet in the role groups) are all there.
    client.force_login(make_user(User.Role.ADMIN, tree.thai_nguyen, is_superuser=True, is_staff=True))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def programs(tree, national):
    ours = make_program(national, tree.thai_nguyen, title="Chương trình Thái Nguyên")
    theirs = make_program(national, tree.ha_noi, title="Chương trình Hà Nội")
    return ours, theirs, make_activity(national, ours, tree.pho_yen), make_activity(national, theirs, tree.ba_dinh)


def test_program_admin_is_scoped_and_shows_the_totals(admin_client, programs):
    ours, theirs, _mine, _other = programs
    page = admin_client.get(reverse("admin:campaigns_propagandaprogram_changelist")).content.decode()
    assert ours.title in page and theirs.title not in page
    assert admin_client.get(reverse("admin:campaigns_propagandaprogram_change", args=[ours.pk])).status_code == 200
    assert admin_client.get(reverse("admin:campaigns_propagandaprogram_change", args=[theirs.pk])).status_code == 302
    assert admin_client.get(reverse("admin:campaigns_propagandaprogram_history", args=[theirs.pk])).status_code == 404


def test_activity_admin_is_scoped_and_edits_through_the_service(admin_client, programs):
    _ours, _theirs, mine, other = programs
    page = admin_client.get(reverse("admin:campaigns_propagandaactivity_changelist")).content.decode()
    assert reverse("admin:campaigns_propagandaactivity_change", args=[mine.pk]) in page
    assert reverse("admin:campaigns_propagandaactivity_change", args=[other.pk]) not in page
    url = reverse("admin:campaigns_propagandaactivity_change", args=[mine.pk])
    form = {"audience": "175", "materials": "20", "note": "Sửa số liệu", "expected_version": "1"}
    assert admin_client.post(url, form).status_code == 302
    mine.refresh_from_db()
    assert (mine.audience, mine.version) == (175, 2)
    assert admin_client.post(url, {**form, "audience": "1"}).status_code == 200  # stale version: refused
    mine.refresh_from_db()
    assert mine.audience == 175
    delete = reverse("admin:campaigns_propagandaactivity_delete", args=[mine.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert list(PropagandaActivity.objects.all()) == [other]

"""The notifications API: one's own notices, the unread filter, marking read; fixed queries for the list."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.notifications.models import Kind, Notice
from portal.notifications.services import notice_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(tree, make_user):
    return make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)


@pytest.fixture
def api(officer):
    client = APIClient()
    client.force_authenticate(officer)
    return client


def make(user, n, start=0):
    return [
        notice_create(recipient=user, kind=Kind.RECOMMENDATION_RECEIVED, title=f"Kiến nghị {i}", key=f"r{i}")
        for i in range(start, start + n)
    ]


def test_list_own_newest_first_and_filter_unread(api, officer, tree, make_user):
    first, second = make(officer, 2)
    make(make_user(User.Role.VIEWER, tree.ha_noi), 1, start=9)
    api.post(reverse("api:notice-read", args=[first.pk]))
    data = api.get(reverse("api:notice-list")).json()
    assert [n["title"] for n in data["results"]] == ["Kiến nghị 1", "Kiến nghị 0"]
    assert data["results"][1]["is_read"] is True and data["results"][0]["kind"] == "recommendation_received"
    unread = api.get(reverse("api:notice-list"), {"unread": "true"}).json()
    assert [n["id"] for n in unread["results"]] == [second.pk]


def test_mark_read_answers_the_notice_and_another_users_is_404(api, officer, tree, make_user):
    (mine,) = make(officer, 1)
    (theirs,) = make(make_user(User.Role.ADMIN, tree.root), 1, start=5)
    response = api.post(reverse("api:notice-read", args=[mine.pk]))
    assert response.status_code == 200 and response.json()["read_at"]
    assert api.post(reverse("api:notice-read", args=[theirs.pk])).status_code == 404
    assert api.post(reverse("api:notice-read-all")).json() == {"marked": 0}
    assert Notice.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_read(api, officer):
    make(officer, 3)
    assert api.post(reverse("api:notice-read-all")).json() == {"marked": 3}
    assert api.get(reverse("api:notice-list"), {"unread": "true"}).json()["count"] == 0


def test_the_list_has_a_fixed_number_of_queries(api, officer, django_assert_num_queries):
    make(officer, 2)
    with django_assert_num_queries(2):  # count, page
        api.get(reverse("api:notice-list"))
    make(officer, 30, start=2)
    with django_assert_num_queries(2):
        api.get(reverse("api:notice-list"))

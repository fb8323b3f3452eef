"""The bell and the notification pages: the count, the list, marking read, following a notice, the settings."""

import re

import pytest
from django.urls import reverse

from portal.accounts.models import User
from portal.notifications.models import Channel, Kind, Notice, NoticePreference
from portal.notifications.services import notice_create

pytestmark = pytest.mark.django_db
R = User.Role


@pytest.fixture
def leader(tree, make_user):
    return make_user(R.LEADER, tree.thai_nguyen, username="lanhdao.tn")


def notices(user, n, **kwargs):
    return [
        notice_create(recipient=user, kind=Kind.DEADLINES, title=f"Thông báo số {i}", key=f"k{i}", **kwargs)
        for i in range(n)
    ]


def bell(html: str) -> str:
    return re.search(r'<a class="nav-bell.*?</a>', html, re.S).group(0)


def test_the_bell_shows_the_unread_count_and_says_it(client, leader):
    notices(leader, 3)
    client.force_login(leader)
    html = bell(client.get(reverse("dashboard")).content.decode())
    assert 'aria-label="Thông báo, 3 chưa đọc"' in html
    assert 'data-testid="bell-count"' in html and ">3<" in html
    assert 'href="/notifications/"' in html


def test_no_count_when_all_are_read(client, leader):
    client.force_login(leader)
    html = bell(client.get(reverse("dashboard")).content.decode())
    assert 'aria-label="Thông báo"' in html and "bell-count" not in html


def test_no_bell_before_the_second_step(client, leader, password_only_login):
    password_only_login(client, leader)
    response = client.get(reverse("accounts:login"), follow=True)
    assert "nav-bell" not in response.content.decode()


def test_the_list_newest_first_highlights_unread_and_paginates(client, leader, tree, make_user):
    made = notices(leader, 25)
    notice_create(recipient=make_user(R.VIEWER, tree.ha_noi), kind=Kind.DEADLINES, title="Của người khác", key="x")
    client.force_login(leader)
    page = client.get(reverse("notifications:list")).content.decode()
    assert page.index("Thông báo số 24") < page.index("Thông báo số 23")
    assert page.count('data-testid="notice"') == 20 and "Của người khác" not in page
    assert page.count("notice-unread") == 20
    assert "Thông báo số 0<" in client.get(reverse("notifications:list"), {"page": 2}).content.decode()
    client.post(reverse("notifications:read", args=[made[24].pk]))
    unread = client.get(reverse("notifications:list"), {"unread": "1"}).content.decode()
    assert "Thông báo số 24" not in unread and "Thông báo số 23" in unread


def test_the_list_costs_the_same_queries_for_5_or_20_notices(client, leader, django_assert_max_num_queries):
    client.force_login(leader)
    notices(leader, 5)
    client.get(reverse("notifications:list"))
    # Session, user, the header's unit, the page's count and rows, the session's save in a savepoint (3);
    # the bell's count comes from the cache the first request filled.
    with django_assert_max_num_queries(8):
        client.get(reverse("notifications:list"))
    Notice.objects.all().delete()
    notices(leader, 20)
    with django_assert_max_num_queries(9):  # the new notices dropped the cached count: one COUNT more
        client.get(reverse("notifications:list"))


def test_following_a_notice_marks_it_read_and_goes_to_its_link(client, leader):
    (notice,) = notices(leader, 1, url="/oversight/recommendations/7/")
    client.force_login(leader)
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/oversight/recommendations/7/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "bell-count" not in client.get(reverse("notifications:list")).content.decode()


def test_mark_one_and_all_read_by_post_only(client, leader):
    first, second, third = notices(leader, 3)
    client.force_login(leader)
    assert client.get(reverse("notifications:read", args=[first.pk])).status_code == 405
    response = client.post(reverse("notifications:read", args=[first.pk]), {"next": "/notifications/?page=1"})
    assert response["Location"] == "/notifications/?page=1"
    assert client.post(reverse("notifications:read", args=[second.pk]), {"next": "https://evil.example/"})[
        "Location"
    ] == reverse("notifications:list")
    client.post(reverse("notifications:read-all"))
    assert not Notice.objects.filter(read_at=None).exists()


def test_another_users_notice_answers_404_and_stays_unread(client, leader, tree, make_user):
    other = make_user(R.ADMIN, tree.thai_nguyen)
    (theirs,) = notices(other, 1)
    client.force_login(leader)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:read-all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_settings_page_saves_a_choice_per_kind(client, leader):
    client.force_login(leader)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "Kiến nghị được gửi đến" in page and "Chỉ trên cổng thông tin" in page
    assert 'name="import_finished"' not in page  # in-app only: shown, not asked
    response = client.post(
        reverse("notifications:settings"),
        {
            "deadlines": Channel.IN_APP,
            "recommendation_received": Channel.MAIL,
            "recommendation_answered": Channel.BOTH,
            "oversight_digest": Channel.IN_APP,
            "report_delivered": Channel.MAIL,
        },
    )
    assert response.status_code == 302
    assert dict(NoticePreference.objects.filter(user=leader).values_list("kind", "channel")) == {
        "deadlines": "in_app",
        "recommendation_received": "mail",
        "recommendation_answered": "both",
        "oversight_digest": "in_app",
        "report_delivered": "mail",
    }
    refused = client.post(reverse("notifications:settings"), {"deadlines": "fax", "report_delivered": "in_app"})
    assert refused.status_code == 400


def test_the_security_page_and_the_list_link_to_the_settings(client, leader):
    client.force_login(leader)
    url = reverse("notifications:settings")
    assert url in client.get(reverse("accounts:security")).content.decode()
    assert url in client.get(reverse("notifications:list")).content.decode()


def test_the_bell_costs_one_count_on_a_cold_cache_and_nothing_after(client, leader):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notices(leader, 2)
    client.force_login(leader)
    client.get(reverse("dashboard"))  # warm up the session

    def counts() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("dashboard"))
        return [q["sql"] for q in captured if "notifications_" in q["sql"]]

    assert counts() == []  # cached by the warm-up
    cache.clear()
    (count,) = counts()
    assert count.startswith("SELECT COUNT(*)")
    assert counts() == []

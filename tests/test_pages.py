"""Pages: log-in redirect, the dashboard shell, navigation by role, language, session, offline API docs."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from portal.accounts.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_page_is_vietnamese_by_default_and_english_on_request(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="vi">' in page and "Đăng nhập" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page and "Log in to Portal 138" in page


def nav_names(page: str) -> set[str]:
    return set(re.findall(r'data-nav="([^"]+)"', page))


@pytest.mark.parametrize(
    ("role", "has_admin"),
    [(User.Role.ADMIN, True), (User.Role.STANDING_OFFICER, True), (User.Role.VIEWER, False)],
)
def test_dashboard_shows_unit_and_the_navigation_the_role_may_use(client, tree, make_user, role, has_admin):
    client.force_login(make_user(role, tree.thai_nguyen))
    page = client.get(reverse("dashboard")).content.decode()
    assert "Tỉnh Thái Nguyên" in page
    names = nav_names(page)
    assert "dashboard" in names
    assert ("admin:index" in names) is has_admin


def test_user_without_unit_is_told_why_they_see_nothing(client, tree, make_user):
    user = make_user(User.Role.ADMIN, tree.root)
    user.unit = None
    user.save()
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    assert "chưa được gán cho đơn vị nào" in page
    assert nav_names(page) == set()


def test_session_expires_after_thirty_idle_minutes_and_each_request_renews_it(client, tree, make_user):
    make_user(User.Role.VIEWER, tree.thai_nguyen, username="xem.tn")
    client.post(reverse("accounts:login"), {"username": "xem.tn", "password": TEST_PASSWORD})
    assert client.session.get_expiry_age() == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_password_validators_require_twelve_characters():
    from django.contrib.auth.password_validation import get_default_password_validators

    lengths = [v.min_length for v in get_default_password_validators() if hasattr(v, "min_length")]
    assert lengths == [12]


def test_api_docs_work_offline(client, tree, make_user):
    client.force_login(make_user(User.Role.VIEWER, tree.root))
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    assert b"/api/v1/units/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in docs
    external = [u for u in re.findall(r'(?:src|href)="([^"]+)"', docs) if u.startswith(("http:", "https:", "//"))]
    assert external == []


def test_pages_load_no_asset_from_the_internet(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("bootstrap.min.css" in a for a in assets)
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    css = next(a for a in assets if "bootstrap.min.css" in a)
    assert client.get(css).status_code == 200


def test_missing_page_answers_a_portal_404_in_vietnamese(client, tree, make_user):
    client.force_login(make_user(User.Role.VIEWER, tree.thai_nguyen))
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/cases/-1/", "/api/v1/khong-co/"])
def test_an_api_url_that_matches_no_route_answers_json_not_the_page(client, tree, make_user, path):
    # Found by the API fuzzer: a negative id fails the <int:pk> route, and API clients were sent the HTML page.
    client.force_login(make_user(User.Role.ADMIN, tree.thai_nguyen))
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith("Không tìm thấy dữ liệu")


@pytest.mark.parametrize(
    ("language", "detail"),
    [("vi", "Cổng thông tin không thể hoàn tất yêu cầu này."), ("en", "The portal could not finish this request.")],
)
def test_an_unexpected_failure_under_the_api_answers_json_in_the_readers_language(
    client, tree, make_user, monkeypatch, language, detail
):
    # A bug or a fallen database reaches Django's 500 handler: an API client gets JSON it can show, not HTML.
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("portal.units.api.unit_list", broken)
    client.raise_request_exception = False
    client.force_login(make_user(User.Role.ADMIN, tree.thai_nguyen))
    response = client.get("/api/v1/units/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith(detail)
    assert "database went away" not in response.content.decode()


def test_an_unexpected_failure_on_a_page_answers_the_portal_error_page(client, tree, make_user, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("portal.reports.views.DashboardView.get", broken)
    client.raise_request_exception = False
    client.force_login(make_user(User.Role.LEADER, tree.thai_nguyen))
    response = client.get("/")
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")
    assert "Cổng thông tin không thể hoàn tất yêu cầu này" in response.content.decode()

"""A form refused by the CSRF check (opened before its user signed in again, or without the portal's cookie):
the portal's own page in the reader's language, nothing saved, a way back to the form."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case
from portal.accounts.models import User
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def signed_in(user: User, language: str = "vi") -> Client:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_a_case_form_sent_with_a_stale_token_saves_nothing_and_leads_back_to_the_form(tree, make_user):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    client = signed_in(officer)
    client.get(reverse("cases:create"))  # the form page sets the CSRF cookie
    form_page = "http://testserver" + reverse("cases:create")

    answer = client.post(
        reverse("cases:create"),
        {"title": "Trộm xe máy", "csrfmiddlewaretoken": "x" * 64},  # a token of an earlier session
        HTTP_REFERER=form_page,
    )

    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Biểu mẫu chưa được gửi" in page and "Chưa có gì được lưu." in page
    assert f'href="{form_page}" data-testid="csrf-retry"' in page
    assert 'data-testid="current-user"' in page  # in the portal's layout, with its menu
    assert "cookie" not in page  # the browser did send the cookie: no word about allowing cookies
    assert not Case.objects.exists()


def test_a_refused_form_without_a_same_site_referer_leads_to_where_it_was_sent(tree, make_user):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    case = make_case(actor=officer, unit=tree.pho_yen, recorded_on=date(2025, 9, 1), title="Cướp giật")
    client = signed_in(officer, "en")
    client.get(reverse("cases:edit", args=[case.pk]))
    edit = reverse("cases:edit", args=[case.pk])

    answer = client.post(
        edit, {"title": "Đổi tên", "csrfmiddlewaretoken": "x" * 64}, HTTP_REFERER="https://elsewhere.example/"
    )

    assert answer.status_code == 403
    page = answer.content.decode()
    assert "The form was not sent" in page and "Biểu mẫu" not in page
    assert f'href="{edit}" data-testid="csrf-retry"' in page  # never back to the other site
    case.refresh_from_db()
    assert case.title == "Cướp giật"


def test_a_log_in_without_the_portals_cookie_says_to_allow_cookies():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="vi")
    answer = client.post(reverse("accounts:login"), {"username": "ai.do", "password": "mat-khau"})
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Biểu mẫu chưa được gửi" in page
    assert "Trình duyệt của bạn không gửi cookie của Cổng thông tin." in page
    assert 'data-testid="current-user"' not in page

"""The search page (/search/) and the header box that leads to it."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Party
from portal.accounts.models import User
from portal.search.selectors import GROUP_LIMIT
from tests.factories import make_case

pytestmark = pytest.mark.django_db
R = User.Role
DAY = date(2025, 9, 2)


def test_signed_in_pages_carry_the_header_search_box(client, tree, make_user):
    client.force_login(make_user(R.VIEWER, tree.thai_nguyen))
    page = client.get(reverse("campaigns:hotspot-list")).content.decode()
    assert 'data-testid="header-search"' in page
    assert f'action="{reverse("search")}"' in page and 'name="q"' in page
    assert '<label for="header-search-q" class="visually-hidden">Tìm kiếm</label>' in page


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("search"), {"q": "pho yen"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def search_statements(client, q: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("q", ["", "p", "  "])
def test_empty_or_one_letter_query_gets_a_friendly_message_and_no_search(q, client, tree, make_user):
    client.force_login(make_user(R.VIEWER, tree.thai_nguyen))
    response = client.get(reverse("search"), {"q": q})
    assert 'data-testid="search-too-short"' in response.content.decode()
    searched = ("campaigns_", "oversight_", "cases_case", " LIKE ")
    assert not [sql for sql in search_statements(client, q) if any(table in sql for table in searched)]


def test_results_are_grouped_with_counts_and_link_to_the_units_dashboard(client, tree, make_user):
    client.force_login(make_user(R.VIEWER, tree.thai_nguyen))
    page = client.get(reverse("search"), {"q": "pho yen"}).content.decode()
    assert 'data-testid="search-group-units"' in page
    assert 'data-testid="search-count-units">2<' in page
    assert f'href="/?unit={tree.pho_yen.code}"' in page and ">Phường Phổ Yên</a>" in page


def test_nothing_found_says_so(client, tree, make_user):
    client.force_login(make_user(R.VIEWER, tree.thai_nguyen))
    page = client.get(reverse("search"), {"q": "ba dinh"}).content.decode()  # a ward of Hà Nội: out of scope
    assert 'data-testid="search-none"' in page and "Ba Đình" not in page


def test_a_long_group_shows_the_limit_and_links_to_the_filtered_case_list(client, tree, make_user):
    admin = make_user(R.ADMIN, tree.thai_nguyen)
    for n in range(GROUP_LIMIT + 2):
        make_case(actor=admin, unit=tree.pho_yen, recorded_on=DAY, title=f"Lừa đảo qua mạng {n}")
    client.force_login(admin)
    page = client.get(reverse("search"), {"q": "lua dao"}).content.decode()
    assert f'data-testid="search-count-cases">{GROUP_LIMIT + 2}<' in page
    assert len(re.findall(r'href="/cases/\d+/"', page)) == GROUP_LIMIT
    assert 'href="/cases/?q=lua+dao" data-testid="search-more-cases"' in page
    listed = client.get("/cases/", {"q": "lua dao"}).content.decode()
    assert listed.count("Lừa đảo qua mạng") >= GROUP_LIMIT + 2  # the list page finds the same cases


def test_party_names_and_id_numbers_find_nothing(client, tree, make_user):
    admin = make_user(R.ADMIN, tree.thai_nguyen)
    case = make_case(actor=admin, unit=tree.pho_yen, recorded_on=DAY)
    Party.objects.create(case=case, role="suspect", full_name="Phùng Thị Bí Mật", id_number="038199012345")
    client.force_login(admin)
    for q in ("Bí Mật", "038199012345"):
        page = client.get(reverse("search"), {"q": q}).content.decode()
        assert 'data-testid="search-none"' in page and case.reference not in page


def test_the_page_query_count_does_not_grow_with_results(client, tree, make_user):
    admin = make_user(R.ADMIN, tree.thai_nguyen)
    client.force_login(admin)
    client.get(reverse("dashboard"))
    before = len(search_statements(client, "pho yen"))
    for n in range(GROUP_LIMIT + 2):
        make_case(actor=admin, unit=tree.pho_yen, recorded_on=DAY, title=f"Phổ Yên {n}")
    # A statement a kind (eight for an admin) besides what every page reads (session, user, unit, menu).
    assert len(search_statements(client, "pho yen")) == before <= 8 + 6

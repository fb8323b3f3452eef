"""The shared cache of live figures: a second view costs no statistics statement, and a change to any
counted record (one by one or in bulk) shows on the next view."""

import csv
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.services import activities_bulk_create
from cases.importing import import_cases
from cases.models import Category
from cases.services import case_create
from portal.accounts.models import User
from portal.reports import cache as stats_cache
from portal.reports import indicators
from portal.units.services import units_load
from tests.campaigns.propaganda_helpers import HELD, make_program
from tests.factories import bulk_cases

pytestmark = pytest.mark.django_db
DASHBOARD = "/"
PERIOD = {"period": "2025-9M"}


@pytest.fixture
def cache_on(settings):
    settings.PORTAL_STATS_CACHE_SECONDS = 60


def view(client, user, params=PERIOD):
    """The dashboard as `user` sees it, and how many statements touched the cases table."""
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    return response.context, sum("cases_case" in q["sql"] for q in captured)


def total(context) -> int:
    return context["summary"]["indicators"]["cases_total"]["value"]


def test_a_second_view_by_anyone_reads_the_cache(cache_on, client, tree, make_user):
    bulk_cases(tree.pho_yen, 5, on=date(2025, 3, 1))
    first, statements = view(client, make_user(User.Role.LEADER, tree.thai_nguyen))
    assert statements > 0 and total(first) == 5

    second, statements = view(client, make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen))

    assert statements == 0
    assert total(second) == 5
    assert second["children"] == first["children"]


def test_without_the_cache_every_view_computes(client, tree, make_user):
    # PORTAL_STATS_CACHE_SECONDS = 0 (the test default, tests/conftest.py)
    leader = make_user(User.Role.LEADER, tree.thai_nguyen)
    view(client, leader)
    _context, statements = view(client, leader)
    assert statements > 0


def test_a_case_recorded_through_the_service_shows_on_the_next_view(cache_on, client, tree, make_user):
    leader = make_user(User.Role.LEADER, tree.thai_nguyen)
    params = {"period": "2026"}  # the open year: live figures
    before, _ = view(client, leader, params)

    case_create(
        actor=make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen),
        title="Trộm cắp xe máy",
        category=Category.objects.get(article="173"),
        severity="serious",
        unit=tree.pho_yen,
        recorded_on=date(2026, 1, 5),
    )
    after, statements = view(client, leader, params)

    assert statements > 0
    assert total(after) == total(before) + 1


def test_each_language_has_its_own_entry(cache_on, client, tree, make_user):
    bulk_cases(tree.pho_yen, 3, on=date(2025, 3, 1))
    leader = make_user(User.Role.LEADER, tree.thai_nguyen)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    vi, _ = view(client, leader)
    client.cookies.pop("django_language", None)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    en, statements = view(client, leader)
    assert statements > 0
    assert (vi["trend"].current_label, en["trend"].current_label) == ("Năm 2025", "Year 2025")


def test_every_counted_model_is_watched(tree):
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    labels = {label for family in indicators.FAMILIES.values() for label in family.models}
    assert all(family.models for family in indicators.FAMILIES.values())
    for label in labels | {"reports.Target", "reports.Summary", "units.Unit"}:
        model = apps.get_model(label)
        assert post_save.has_listeners(model) and post_delete.has_listeners(model), label
        assert stats_cache.changed in post_save._live_receivers(model)[0], label


def test_saving_a_counted_record_renews_the_generation_now_and_after_commit(tree):
    before = stats_cache.generation()
    bulk_cases(tree.pho_yen, 1, on=date(2025, 3, 1))  # bulk_create sends no signal
    assert stats_cache.generation() == before

    tree.pho_yen.save()
    tree.thai_nguyen.save()

    now = stats_cache.generation()
    assert now != before
    # The test runs in a transaction: the second renewal waits for its commit, scheduled once.
    pending = [entry[1] for entry in connection.run_on_commit if entry[1] is stats_cache.renew_after_commit]
    assert len(pending) == 1
    pending[0]()
    assert stats_cache.generation() != now  # a view that read before the commit keeps its figures to itself


def _changes(action) -> bool:
    before = stats_cache.generation()
    action()
    return stats_cache.generation() != before


def test_case_import_renews_the_generation(tree, make_user, tmp_path):
    path = tmp_path / "cases.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["title", "category", "severity", "unit", "recorded_on", "status"])
        writer.writerow(["Trộm cắp xe máy", "173", "serious", "05860", "2025-09-01", "received"])
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)

    assert _changes(lambda: import_cases(path=path, actor=officer).created)


def test_propaganda_bulk_entry_renews_the_generation(tree, make_user, settings):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    program = make_program(officer, tree.thai_nguyen)
    rows = [{"on": HELD, "unit": tree.pho_yen, "format": "loudspeaker", "topic": "drugs", "audience": 10}]

    assert _changes(lambda: activities_bulk_create(actor=officer, program=program, rows=rows))


def test_loading_the_unit_list_renews_the_generation_only_when_it_changes(db):
    assert _changes(units_load)
    assert not _changes(units_load)

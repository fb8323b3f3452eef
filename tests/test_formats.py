"""Dates, numbers and money in each language: 05/09/2025 in both; 1.234,5 and 15.000.000 đ in Vietnamese,
1,234.5 and 15,000,000 VND in English (portal/formats, portal/reports/numbers.py)."""

from datetime import date

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import User
from portal.formats.money import vnd
from portal.reports.numbers import local_number, local_percent
from tests.factories import make_case


@pytest.mark.parametrize(
    ("language", "number", "percent", "money"),
    [("vi", "1.234,5", "84,2%", "1.234.000 đ"), ("en", "1,234.5", "84.2%", "1,234,000 VND")],
)
def test_numbers_percentages_and_money_follow_the_language(language, number, percent, money):
    with translation.override(language):
        assert local_number(1234.5) == number
        assert local_number(92.0) == "92"  # the narrative's trimming: no ",0"
        assert local_percent(84.21) == percent
        assert vnd(1_234_000) == money
        assert vnd(None) == "—"


@pytest.mark.parametrize(("language", "grouped"), [("vi", "1.234.567"), ("en", "1,234,567")])
def test_templates_group_counts_and_write_dates_day_first(language, grouped):
    template = Template('{% load humanize %}{{ n|intcomma }} {{ d|date:"SHORT_DATE_FORMAT" }} {{ d|date }}')
    with translation.override(language):
        text = template.render(Context({"n": 1234567, "d": date(2025, 9, 5)}))
    assert text == f"{grouped} 05/09/2025 05/09/2025"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_typed_date_is_read_day_first_in_both_languages(language):
    with translation.override(language):
        field = forms.DateField(localize=True)
        assert field.clean("05/09/2025") == date(2025, 9, 5)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "damage", "recovered"),
    [("vi", "15.000.000 đ", "2.500.000 đ"), ("en", "15,000,000 VND", "2,500,000 VND")],
)
def test_case_page_shows_dates_and_amounts_in_the_readers_language(
    client, tree, make_user, language, damage, recovered
):
    officer = make_user(User.Role.STANDING_OFFICER, tree.thai_nguyen)
    case = make_case(
        actor=officer,
        unit=tree.pho_yen,
        recorded_on=date(2025, 9, 5),
        damage_amount=15_000_000,
        recovered_amount=2_500_000,
    )
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<html lang="{language}">' in page
    assert damage in page and recovered in page
    assert "05/09/2025" in page

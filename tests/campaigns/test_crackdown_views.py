"""Crackdown campaign pages: who sees what, the figures a user reads, planning and result forms, refusals."""

import re
from datetime import date

import pytest
from django.urls import reverse

from campaigns.models import Campaign, CampaignResult
from cases.models import Case
from cases.services import case_update
from portal.accounts.models import User

pytestmark = pytest.mark.django_db
R = User.Role


@pytest.fixture
def browse(client):
    def log_in(user, language="en"):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return log_in


def cell(html: str, row: str, column: str) -> str:
    """The text of a cell marked data-testid=column in the row marked data-testid=row."""
    block = re.search(rf'data-testid="{row}"(.*?)</tr>', html, re.S).group(1)
    return re.sub(r"<[^>]+>", "", re.search(rf'data-testid="{column}"[^>]*>(.*?)</(td|span)>', block, re.S).group(1))


def test_the_campaign_page_shows_planned_achieved_and_before_after(browse, officer, hand_built):
    html = browse(officer).get(reverse("campaigns:campaign-detail", args=[hand_built.pk])).content.decode()
    assert cell(html, "achievement-cases_cleared", "planned") == "4"
    assert cell(html, "achievement-cases_cleared", "achieved") == "4"
    assert cell(html, "achievement-wanted_caught", "achieved") == "5"
    assert cell(html, "achievement-wanted_caught", "percent").strip() == "50.0%"
    assert cell(html, "achievement-drugs_grams", "achieved") == "150.5"
    assert cell(html, "compare-cases_recorded", "during") == "8"
    assert cell(html, "compare-cases_recorded", "before") == "5"
    assert cell(html, "compare-cases_recorded", "vs-before") == "+60.0%"
    assert cell(html, "compare-cases_cleared", "year-earlier") == "2"
    assert cell(html, "compare-suspects_arrested", "during") == "2"
    assert "30/09/2025 – 14/12/2025" in html
    assert 'data-testid="result-form"' in html
    # The campaign has ended: a result is most likely dated on its last day, not today.
    assert re.search(r'name="on" value="28/02/2026"', html)
    assert "Drugs seized (grams)</strong> 150.5</span>" in html and "Wanted persons caught</strong> 3</span>" in html


def test_vietnamese_numbers(browse, officer, hand_built):
    html = browse(officer, "vi").get(reverse("campaigns:campaign-detail", args=[hand_built.pk])).content.decode()
    assert cell(html, "achievement-drugs_grams", "achieved") == "150,5"
    assert cell(html, "achievement-wanted_caught", "percent").strip() == "50,0%"


@pytest.mark.parametrize("role", list(R))
def test_every_role_reads_campaigns_but_only_writers_get_forms(browse, make_user, tree, hand_built, role):
    user = make_user(role, tree.thai_nguyen)
    client = browse(user)
    assert client.get(reverse("campaigns:campaign-list")).status_code == 200
    html = client.get(reverse("campaigns:campaign-detail", args=[hand_built.pk])).content.decode()
    writer = role in {R.ADMIN, R.STANDING_OFFICER}
    assert ('data-testid="result-form"' in html) is writer
    assert client.get(reverse("campaigns:campaign-create")).status_code == (200 if writer else 403)


def test_out_of_scope_is_404(browse, make_user, tree, hand_built):
    client = browse(make_user(R.STANDING_OFFICER, tree.ha_noi))
    assert client.get(reverse("campaigns:campaign-detail", args=[hand_built.pk])).status_code == 404
    assert client.get(reverse("campaigns:campaign-edit", args=[hand_built.pk])).status_code == 404
    response = client.post(reverse("campaigns:campaign-result", args=[hand_built.pk]), {})
    assert response.status_code == 404
    assert "Cao điểm" not in client.get(reverse("campaigns:campaign-list")).content.decode()


def test_list_filters_and_links(browse, officer, hand_built):
    client = browse(officer)
    html = client.get(reverse("campaigns:campaign-list")).content.decode()
    assert reverse("campaigns:campaign-detail", args=[hand_built.pk]) in html
    assert "Social order" in html  # the focus, labelled
    assert (
        client.get(reverse("campaigns:campaign-list"), {"phase": "active"})
        .content.decode()
        .count('data-testid="campaign-row"')
        == 0
    )


def plan(**overrides) -> dict:
    data = {
        "name": "Cao điểm hè 2026",
        "lead_unit": "19",
        "starts_on": "01/05/2026",
        "ends_on": "31/05/2026",
        "scope_units": "05860",
        "focus_lines": ["drugs"],
        "target_cases_cleared": "30",
        "target_weapons": "",
    }
    data.update(overrides)
    return data


def test_plan_a_campaign_through_the_form(browse, officer):
    response = browse(officer).post(reverse("campaigns:campaign-create"), plan())
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "campaigns:campaign-detail", args=[campaign.pk]
    )
    assert [u.code for u in campaign.scope_units.all()] == ["05860"]
    assert {t.kind: t.value for t in campaign.targets.all()} == {"cases_cleared": 30}


def test_form_refusals_keep_the_input_and_save_nothing(browse, officer):
    client = browse(officer)
    response = client.post(reverse("campaigns:campaign-create"), plan(ends_on="01/04/2026"))
    assert response.status_code == 400
    assert "before it starts" in response.content.decode()
    assert "Cao điểm hè 2026" in response.content.decode()
    response = client.post(reverse("campaigns:campaign-create"), plan(scope_units="05860, 99999"))
    assert response.status_code == 400 and "99999" in response.content.decode()
    assert not Campaign.objects.exists()


def test_stale_edit_is_refused(browse, officer, hand_built):
    client = browse(officer)
    url = reverse("campaigns:campaign-edit", args=[hand_built.pk])
    data = plan(name="Tên mới", starts_on="15/12/2025", ends_on="28/02/2026", scope_units="", version="1")
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "name": "Tên khác"})
    assert response.status_code == 409
    assert Campaign.objects.get(pk=hand_built.pk).name == "Tên mới"


def test_record_and_withdraw_a_result(browse, officer, hand_built, tree):
    client = browse(officer)
    url = reverse("campaigns:campaign-result", args=[hand_built.pk])
    body = {"unit": "05860", "on": "10/01/2026", "kind": "gambling_dens", "quantity": "2", "note": ""}
    assert client.post(url, body).status_code == 302
    entry = CampaignResult.objects.get(kind="gambling_dens")
    response = client.post(url, {**body, "on": "10/03/2026"})
    assert response.status_code == 400 and "outside the campaign" in response.content.decode()
    assert CampaignResult.objects.filter(kind="gambling_dens").count() == 1
    client.post(reverse("campaigns:campaign-result-delete", args=[hand_built.pk, entry.pk]))
    assert not CampaignResult.objects.filter(kind="gambling_dens").exists()


def test_a_case_is_linked_to_a_campaign_from_the_case_form(browse, officer, hand_built, tree):
    case = Case.objects.filter(unit=tree.pho_yen, recorded_on=date(2026, 1, 10)).first()
    case_update(case=case, actor=officer, version=case.version, campaign=hand_built)
    client = browse(officer)
    html = client.get(reverse("campaigns:campaign-detail", args=[hand_built.pk])).content.decode()
    assert re.search(r'data-testid="linked-cases"><a href="[^"]*\?campaign=\d+">1</a>', html)
    listed = client.get(reverse("cases:list"), {"campaign": hand_built.pk}).content.decode()
    assert listed.count('data-testid="case-row"') == 1

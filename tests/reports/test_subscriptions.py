"""Report subscriptions: who may subscribe whom to which unit, the API and the "Báo cáo" page, the unsubscribe link."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.errors import StaleVersionError
from portal.reports.models import ReportDelivery, ReportSubscription
from portal.reports.subscriptions import (
    subscription_create,
    subscription_list,
    subscription_update,
    unsubscribe_token,
)

pytestmark = pytest.mark.django_db
R = User.Role


# --- Rules --------------------------------------------------------------------------------------------


def test_a_user_subscribes_to_their_own_unit_by_default(tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    subscription = subscription_create(actor=officer, period_kind="quarter")
    assert (subscription.user, subscription.unit, subscription.formats, subscription.language) == (
        officer,
        tree.thai_nguyen,
        "both",
        "vi",
    )
    assert subscription.active and subscription.created_by == officer


def test_a_unit_below_ones_own_is_accepted_and_one_outside_refused(tree, make_user):
    officer = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    assert subscription_create(actor=officer, unit=tree.pho_yen, period_kind="month").unit == tree.pho_yen
    with pytest.raises(ValidationError) as refused:
        subscription_create(actor=officer, unit=tree.ha_noi, period_kind="month")
    assert "unit" in refused.value.message_dict


def test_a_legacy_unit_is_refused(tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    with pytest.raises(ValidationError):
        subscription_create(actor=officer, unit=tree.legacy_pho_yen_town, period_kind="year")


def test_national_leader_cannot_subscribe_a_provincial_officer_to_the_national_report(tree, make_user):
    leader = make_user(R.LEADER, tree.root)
    officer = make_user(R.STANDING_OFFICER, tree.thai_nguyen)
    with pytest.raises(ValidationError) as refused:
        subscription_create(actor=leader, user=officer, unit=tree.root, period_kind="nine_months")
    assert "unit" in refused.value.message_dict
    # The report of the officer's own province is fine.
    subscription = subscription_create(actor=leader, user=officer, unit=tree.thai_nguyen, period_kind="nine_months")
    assert subscription.user == officer and subscription.created_by == leader


def test_a_leader_subscribes_only_people_of_their_subtree(tree, make_user):
    leader = make_user(R.LEADER, tree.thai_nguyen)
    inside = make_user(R.VIEWER, tree.pho_yen)
    outside = make_user(R.VIEWER, tree.ba_dinh)
    assert subscription_create(actor=leader, user=inside, period_kind="month").unit == tree.pho_yen
    with pytest.raises(ValidationError) as refused:
        subscription_create(actor=leader, user=outside, period_kind="month")
    assert "user" in refused.value.message_dict


@pytest.mark.parametrize("role", [R.STANDING_OFFICER, R.INVESTIGATOR, R.PROPAGANDA_OFFICER, R.INSPECTOR, R.VIEWER])
def test_other_roles_subscribe_only_themselves(tree, make_user, role):
    actor = make_user(role, tree.thai_nguyen)
    colleague = make_user(R.VIEWER, tree.thai_nguyen)
    with pytest.raises(ValidationError):
        subscription_create(actor=actor, user=colleague, period_kind="month")


def test_a_recipient_without_an_email_is_refused(tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen, email="")
    with pytest.raises(ValidationError) as refused:
        subscription_create(actor=officer, period_kind="month")
    assert "user" in refused.value.message_dict


def test_the_same_report_twice_is_refused_and_an_ended_one_is_taken_up_again(tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    first = subscription_create(actor=officer, period_kind="year")
    with pytest.raises(ValidationError):
        subscription_create(actor=officer, period_kind="year")
    subscription_update(actor=officer, subscription=first, version=first.version, active=False)
    again = subscription_create(actor=officer, period_kind="year", formats="pdf", language="en")
    assert again.pk == first.pk and again.active and (again.formats, again.language) == ("pdf", "en")
    assert ReportSubscription.objects.count() == 1


def test_a_stale_version_is_refused(tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    subscription = subscription_create(actor=officer, period_kind="month")
    subscription_update(actor=officer, subscription=subscription, version=1, formats="pdf")
    with pytest.raises(StaleVersionError):
        subscription_update(actor=officer, subscription=subscription, version=1, formats="xlsx")


def test_visibility_own_for_everyone_and_the_subtree_for_leaders(tree, make_user):
    leader = make_user(R.LEADER, tree.thai_nguyen)
    viewer = make_user(R.VIEWER, tree.thai_nguyen)
    colleague = make_user(R.VIEWER, tree.pho_yen)
    far = make_user(R.VIEWER, tree.ba_dinh)
    mine = subscription_create(actor=viewer, period_kind="month")
    theirs = subscription_create(actor=colleague, period_kind="month")
    far_one = subscription_create(actor=far, period_kind="month")
    assert set(subscription_list(user=viewer)) == {mine}
    assert set(subscription_list(user=leader)) == {mine, theirs}
    assert far_one not in subscription_list(user=make_user(R.ADMIN, tree.thai_nguyen))
    assert set(subscription_list(user=make_user(R.ADMIN, tree.root))) == {mine, theirs, far_one}


# --- API ----------------------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_create_list_patch_and_delete(tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    client = api(officer)
    created = client.post(
        reverse("api:report-subscription-list"), {"unit": "05860", "period_kind": "quarter", "formats": "pdf"}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["unit"]["code"] == "05860" and body["period_kind"] == "quarter" and body["version"] == 1
    assert created["Location"].endswith(f"/report-subscriptions/{body['id']}/")

    listed = client.get(reverse("api:report-subscription-list")).json()
    assert [s["id"] for s in listed["results"]] == [body["id"]]

    url = reverse("api:report-subscription-detail", kwargs={"pk": body["id"]})
    patched = client.patch(url, {"language": "en", "version": 1}, format="json")
    assert patched.status_code == 200 and patched.json()["language"] == "en" and patched.json()["version"] == 2
    assert client.patch(url, {"formats": "xlsx", "version": 1}, format="json").status_code == 409

    assert client.delete(url).status_code == 204
    subscription = ReportSubscription.objects.get(pk=body["id"])
    assert not subscription.active  # ended, not deleted: the delivery log stays


def test_api_refuses_a_unit_outside_the_recipients_scope_in_the_users_language(tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    response = api(officer).post(
        reverse("api:report-subscription-list"), {"unit": "01", "period_kind": "year"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 400
    assert "unit" in response.json()


def test_api_leader_subscribes_someone_of_their_subtree(tree, make_user):
    leader = make_user(R.LEADER, tree.thai_nguyen)
    officer = make_user(R.INVESTIGATOR, tree.pho_yen)
    response = api(leader).post(reverse("api:report-subscription-list"), {"user": officer.pk, "period_kind": "half"})
    assert response.status_code == 201, response.content
    assert response.json()["user"]["id"] == officer.pk and response.json()["unit"]["code"] == "05860"


def test_api_out_of_scope_subscription_is_404(tree, make_user):
    far = make_user(R.VIEWER, tree.ba_dinh)
    subscription = subscription_create(actor=far, period_kind="month")
    client = api(make_user(R.LEADER, tree.thai_nguyen))
    url = reverse("api:report-subscription-detail", kwargs={"pk": subscription.pk})
    assert client.get(url).status_code == 404
    assert client.patch(url, {"formats": "pdf", "version": 1}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    assert ReportSubscription.objects.get(pk=subscription.pk).active


def test_api_deliveries_filtered_by_status_and_subscription(tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    month = subscription_create(actor=officer, period_kind="month")
    year = subscription_create(actor=officer, period_kind="year")
    ReportDelivery.objects.create(
        subscription=month, period_spec="2025-08", period_start="2025-08-01", period_end="2025-08-31", status="sent"
    )
    ReportDelivery.objects.create(
        subscription=year, period_spec="2024", period_start="2024-01-01", period_end="2024-12-31", status="failed"
    )
    client = api(officer)
    failed = client.get(reverse("api:report-delivery-list"), {"status": "failed"}).json()["results"]
    assert [d["period_spec"] for d in failed] == ["2024"]
    of_month = client.get(reverse("api:report-delivery-list"), {"subscription": month.pk}).json()["results"]
    assert [d["period_spec"] for d in of_month] == ["2025-08"]


@pytest.mark.parametrize("value", ["-8.7e+226", "1.5", str(2**63), "0"])
def test_api_a_subscription_filter_that_is_no_id_is_a_400_not_a_server_error(tree, make_user, value):
    # Found by the API fuzzer: the filter took any decimal, and one too large for SQLite's integers answered 500.
    response = api(make_user(R.VIEWER, tree.thai_nguyen)).get(
        reverse("api:report-delivery-list"), {"subscription": value}
    )
    assert response.status_code == 400
    assert "subscription" in response.json()


def test_api_lists_have_a_fixed_number_of_queries(tree, make_user, django_assert_max_num_queries):
    leader = make_user(R.LEADER, tree.root)
    for i in range(12):
        person = make_user(R.VIEWER, tree.thai_nguyen if i % 2 else tree.ha_noi)
        subscription = subscription_create(actor=leader, user=person, period_kind="month")
        ReportDelivery.objects.create(
            subscription=subscription, period_spec="2025-08", period_start="2025-08-01", period_end="2025-08-31"
        )
    client = api(leader)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("api:report-subscription-list")).json()["count"] == 12
    with django_assert_max_num_queries(6):
        assert client.get(reverse("api:report-delivery-list")).json()["count"] == 12


# --- The "Báo cáo" page -------------------------------------------------------------------------------


def test_page_create_list_edit_and_deactivate(client, tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    client.force_login(officer)
    page = client.get(reverse("reports:subscriptions"))
    assert page.status_code == 200
    assert reverse("reports:subscriptions") in page.content.decode()  # the nav item

    response = client.post(
        reverse("reports:subscriptions"),
        {"unit": "05860", "period_kind": "month", "formats": "both", "language": "vi"},
    )
    assert response.status_code == 302
    subscription = ReportSubscription.objects.get(user=officer)
    assert subscription.unit == tree.pho_yen
    assert 'data-testid="subscription-row"' in client.get(reverse("reports:subscriptions")).content.decode()

    refused = client.post(
        reverse("reports:subscriptions"), {"unit": "01", "period_kind": "month", "formats": "both", "language": "vi"}
    )
    assert refused.status_code == 400
    assert 'data-field="unit"' in refused.content.decode()

    edit = reverse("reports:subscription-edit", kwargs={"pk": subscription.pk})
    assert client.get(edit).status_code == 200
    saved = client.post(edit, {"formats": "pdf", "language": "en", "active": "on", "version": 1})
    assert saved.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.formats, subscription.language, subscription.version) == ("pdf", "en", 2)

    client.post(reverse("reports:subscription-deactivate", kwargs={"pk": subscription.pk}))
    subscription.refresh_from_db()
    assert not subscription.active


def test_page_shows_failed_deliveries_highlighted(client, tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    subscription = subscription_create(actor=officer, period_kind="month")
    ReportDelivery.objects.create(
        subscription=subscription,
        period_spec="2025-08",
        period_start="2025-08-01",
        period_end="2025-08-31",
        status="failed",
        attempts=6,
        error="SMTP 451: 4.3.0 try later",
    )
    client.force_login(officer)
    html = client.get(reverse("reports:subscriptions")).content.decode()
    assert 'data-status="failed" class="table-danger"' in html
    assert "SMTP 451: 4.3.0 try later" in html


def test_page_out_of_scope_subscription_is_404(client, tree, make_user):
    far = make_user(R.VIEWER, tree.ba_dinh)
    subscription = subscription_create(actor=far, period_kind="month")
    client.force_login(make_user(R.LEADER, tree.thai_nguyen))
    assert client.get(reverse("reports:subscription-edit", kwargs={"pk": subscription.pk})).status_code == 404
    response = client.post(reverse("reports:subscription-deactivate", kwargs={"pk": subscription.pk}))
    assert response.status_code == 404
    assert ReportSubscription.objects.get(pk=subscription.pk).active


def test_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("reports:subscriptions"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- Unsubscribe --------------------------------------------------------------------------------------


def test_unsubscribe_link_works_without_log_in_and_ends_only_its_subscription(client, tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    month = subscription_create(actor=officer, period_kind="month")
    year = subscription_create(actor=officer, period_kind="year")
    url = reverse("reports:unsubscribe", kwargs={"token": unsubscribe_token(month)})
    confirm = client.get(url)
    assert confirm.status_code == 200 and 'data-testid="confirm-unsubscribe"' in confirm.content.decode()
    month.refresh_from_db()
    assert month.active  # a GET (a mail scanner following links) changes nothing

    done = client.post(url)
    assert done.status_code == 200 and 'data-testid="unsubscribe-done"' in done.content.decode()
    month.refresh_from_db()
    year.refresh_from_db()
    assert not month.active and year.active


def test_a_tampered_unsubscribe_token_is_refused(client, tree, make_user):
    officer = make_user(R.VIEWER, tree.thai_nguyen)
    other = make_user(R.VIEWER, tree.thai_nguyen)
    mine = subscription_create(actor=officer, period_kind="month")
    theirs = subscription_create(actor=other, period_kind="month")
    token = unsubscribe_token(mine)
    payload, signature = token.rsplit(":", 1)
    forged = unsubscribe_token(theirs).rsplit(":", 1)[0] + ":" + signature
    for bad in (forged, token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "nonsense"):
        response = client.post(reverse("reports:unsubscribe", kwargs={"token": bad}))
        assert response.status_code == 404
        assert 'data-testid="unsubscribe-invalid"' in response.content.decode()
    assert ReportSubscription.objects.filter(active=True).count() == 2


def test_a_leaders_page_lists_the_subtrees_subscriptions_and_subscribes_someone(client, tree, make_user):
    leader = make_user(R.LEADER, tree.thai_nguyen)
    officer = make_user(R.INVESTIGATOR, tree.pho_yen, full_name="Lê Văn Điều")
    far = make_user(R.VIEWER, tree.ba_dinh, full_name="Trần Thị Xa")
    subscription_create(actor=far, period_kind="month")
    client.force_login(leader)
    html = client.get(reverse("reports:subscriptions")).content.decode()
    assert 'name="user"' in html and "Lê Văn Điều" in html and "Trần Thị Xa" not in html
    response = client.post(
        reverse("reports:subscriptions"),
        {"user": officer.pk, "unit": "", "period_kind": "quarter", "formats": "xlsx", "language": "vi"},
    )
    assert response.status_code == 302
    subscription = ReportSubscription.objects.get(user=officer)
    assert (subscription.unit, subscription.created_by) == (tree.pho_yen, leader)
    refused = client.post(
        reverse("reports:subscriptions"),
        {"user": far.pk, "unit": "", "period_kind": "quarter", "formats": "xlsx", "language": "vi"},
    )
    assert refused.status_code == 400 and not ReportSubscription.objects.filter(user=far, period_kind="quarter")


# --- Admin --------------------------------------------------------------------------------------------


def test_admin_is_scoped_and_resends_failed_deliveries(client, tree, make_user, django_capture_on_commit_callbacks):
    leader = make_user(R.LEADER, tree.thai_nguyen)
    mine = subscription_create(actor=make_user(R.VIEWER, tree.pho_yen, full_name="Cán Bộ Phổ Yên"), period_kind="month")
    subscription_create(actor=make_user(R.VIEWER, tree.ba_dinh, full_name="Cán Bộ Ba Đình"), period_kind="month")
    failed = ReportDelivery.objects.create(
        subscription=mine,
        period_spec="2025-08",
        period_start="2025-08-01",
        period_end="2025-08-31",
        status="failed",
        attempts=6,
        error="SMTP 451: 4.3.0 try later",
    )
    client.force_login(leader)
    listing = client.get(reverse("admin:reports_reportsubscription_changelist")).content.decode()
    assert "Cán Bộ Phổ Yên" in listing and "Cán Bộ Ba Đình" not in listing
    assert client.get(reverse("admin:reports_reportdelivery_changelist")).status_code == 200
    with django_capture_on_commit_callbacks() as queued:
        client.post(
            reverse("admin:reports_reportdelivery_changelist"),
            {"action": "resend", "_selected_action": [failed.pk]},
        )
    failed.refresh_from_db()
    assert failed.status == "pending" and len(queued) == 1  # queued for the worker once committed

"""The admin site: who may enter, and every list and form limited to the admin's scope."""

import pytest
from django.urls import reverse

from portal.accounts.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "may_enter"),
    [(r, r in {User.Role.ADMIN, User.Role.LEADER, User.Role.STANDING_OFFICER}) for r in User.Role],
)
def test_only_admin_leader_and_standing_roles_enter_the_admin(client, tree, make_user, role, may_enter):
    login(client, make_user(role, tree.thai_nguyen))
    response = client.get(reverse("admin:index"))
    assert (response.status_code == 200) is may_enter
    if not may_enter:
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_provincial_admin_does_not_see_users_of_another_province(client, tree, make_user):
    admin = make_user(User.Role.ADMIN, tree.thai_nguyen, username="qt.tn")
    ours = make_user(User.Role.VIEWER, tree.pho_yen, username="xem.phoyen")
    theirs = make_user(User.Role.VIEWER, tree.ba_dinh, username="xem.badinh")
    login(client, admin)
    changelist = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert ours.username in changelist and theirs.username not in changelist
    assert client.get(reverse("admin:accounts_user_change", args=[ours.pk])).status_code == 200
    # Out of scope: the admin answers as for a missing object (redirect to the index), never the form.
    response = client.get(reverse("admin:accounts_user_change", args=[theirs.pk]))
    assert response.status_code == 302
    assert client.get(reverse("admin:accounts_user_history", args=[theirs.pk])).status_code == 404
    version = theirs.history.first().history_id
    url = reverse("admin:accounts_user_simple_history", args=[theirs.pk, version])
    assert client.get(url).status_code == 404
    post = client.post(
        reverse("admin:accounts_user_change", args=[theirs.pk]),
        {"username": theirs.username, "unit": theirs.unit.pk, "role": "admin", "is_active": "on"},
    )
    assert post.status_code == 302
    theirs.refresh_from_db()
    assert theirs.role == User.Role.VIEWER


def test_admin_form_offers_only_units_and_roles_in_scope(client, tree, make_user):
    login(client, make_user(User.Role.ADMIN, tree.thai_nguyen))
    form = client.get(reverse("admin:accounts_user_add")).context["adminform"].form
    units = set(form.fields["unit"].queryset)
    assert units == {tree.thai_nguyen, tree.pho_yen}


def test_admin_creates_a_user_in_scope_through_the_form(client, tree, make_user):
    login(client, make_user(User.Role.ADMIN, tree.thai_nguyen))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "canbo.phoyen",
            "full_name": "Phạm Thị Cán Bộ",
            "email": "",
            "unit": tree.pho_yen.pk,
            "role": User.Role.INVESTIGATOR,
            "usable_password": "true",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="canbo.phoyen")
    assert created.unit == tree.pho_yen and created.role == User.Role.INVESTIGATOR
    assert list(created.groups.values_list("name", flat=True)) == ["role:investigator"]


def test_admin_form_refuses_a_unit_outside_scope(client, tree, make_user):
    login(client, make_user(User.Role.ADMIN, tree.thai_nguyen))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "gian.lan",
            "unit": tree.ba_dinh.pk,
            "role": User.Role.VIEWER,
            "usable_password": "true",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not User.objects.filter(username="gian.lan").exists()


def test_unit_admin_search_ignores_diacritics_and_is_scoped(client, tree, make_user):
    login(client, make_user(User.Role.LEADER, tree.thai_nguyen))
    page = client.get(reverse("admin:units_unit_changelist"), {"q": "pho yen"}).content.decode()
    assert "Phường Phổ Yên" in page and "Thị xã Phổ Yên" in page
    page = client.get(reverse("admin:units_unit_changelist"), {"q": "ba dinh"}).content.decode()
    assert "Phường Ba Đình" not in page
    assert client.get(reverse("admin:units_unit_change", args=[tree.ba_dinh.pk])).status_code == 302


def test_failed_and_successful_logins_are_recorded(client, tree, make_user):
    from axes.models import AccessAttempt, AccessLog

    make_user(User.Role.VIEWER, tree.thai_nguyen, username="xem.tn")
    client.post(reverse("accounts:login"), {"username": "xem.tn", "password": "khong-dung-mat-khau"})
    assert AccessAttempt.objects.filter(username="xem.tn", failures_since_start=1).exists()
    response = client.post(reverse("accounts:login"), {"username": "xem.tn", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert AccessLog.objects.filter(username="xem.tn").count() == 1


def test_every_registered_model_admin_is_scoped():
    from django.contrib import admin

    from portal.admin_site import ScopedAdminMixin

    unscoped = [m.__name__ for m, ma in admin.site._registry.items() if not isinstance(ma, ScopedAdminMixin)]
    assert unscoped == []

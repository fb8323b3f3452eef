"""Two-step log-in: who must pass it, setting it up, codes and backup codes, throttling, the API token,
the admin, and an admin's reset for a lost phone. Through the real pages; only the clock is mocked."""

import re
from datetime import UTC, datetime
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import models as otp_models
from django_otp import oath
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp import models as totp_models
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from portal.accounts import two_factor
from portal.accounts.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
R = User.Role


class Clock:
    """The one outside thing mocked: the time the authenticator codes and the throttling read."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(oath, "time", lambda: c.now)
    monkeypatch.setattr(totp_models, "time", SimpleNamespace(time=lambda: c.now))
    monkeypatch.setattr(otp_models, "timezone", SimpleNamespace(now=lambda: datetime.fromtimestamp(c.now, UTC)))
    monkeypatch.setattr(two_factor, "timezone", SimpleNamespace(now=lambda: datetime.fromtimestamp(c.now, UTC)))
    return c


def app_code(device: TOTPDevice) -> str:
    """What the phone shows now."""
    return f"{oath.TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def with_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=two_factor.APP_DEVICE_NAME, confirmed=True)


def log_in(client: Client, user: User, next_url: str = ""):
    url = reverse("accounts:login") + (f"?next={quote(next_url)}" if next_url else "")
    return client.post(url, {"username": user.username, "password": TEST_PASSWORD, "next": next_url})


def send_code(client: Client, code: str, next_url: str = ""):
    return client.post(reverse("accounts:second-step"), {"code": code, "next": next_url})


def dashboard_status(client: Client) -> int:
    return client.get(reverse("dashboard")).status_code


# --- Who is asked ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [R.ADMIN, R.LEADER])
def test_a_leader_or_admin_without_a_device_is_sent_to_set_one_up_and_held_there(client, tree, make_user, role):
    user = make_user(role, tree.thai_nguyen)
    response = log_in(client, user)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two-factor-setup"))
    held = client.get(reverse("cases:list"))
    assert held.status_code == 302 and held["Location"].startswith(reverse("accounts:two-factor-setup"))
    assert "next=%2Fcases%2F" in held["Location"]
    api = client.get(reverse("api:me"))
    assert api.status_code == 403 and api.json()["detail"]


@pytest.mark.parametrize("role", [r for r in R if r not in {R.ADMIN, R.LEADER}])
def test_other_roles_without_a_device_go_straight_in(client, tree, make_user, role):
    user = make_user(role, tree.thai_nguyen)
    response = log_in(client, user)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert dashboard_status(client) == 200


def test_anyone_who_set_up_a_device_is_asked_for_the_code(client, tree, make_user, clock):
    user = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    device = with_device(user)
    response = log_in(client, user, "/cases/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second-step") + "?next=%2Fcases%2F"
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("accounts:second-step"))
    done = send_code(client, app_code(device), "/cases/")
    assert done.status_code == 302 and done["Location"] == "/cases/"
    assert dashboard_status(client) == 200


def test_promotion_to_a_role_that_requires_it_holds_the_open_session(client, tree, make_user):
    user = make_user(R.VIEWER, tree.thai_nguyen)
    log_in(client, user)
    assert dashboard_status(client) == 200
    User.objects.filter(pk=user.pk).update(role=R.LEADER)
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("accounts:two-factor-setup"))


def test_the_roles_that_must_use_it_come_from_settings(client, tree, make_user, settings):
    settings.PORTAL_2FA_ROLES = ["inspector"]
    leader = make_user(R.LEADER, tree.thai_nguyen)
    log_in(client, leader)
    assert dashboard_status(client) == 200
    inspector = make_user(R.INSPECTOR, tree.thai_nguyen)
    other = Client()
    log_in(other, inspector)
    assert other.get(reverse("dashboard")).status_code == 302


def test_while_held_the_user_can_still_log_out_and_switch_language(client, tree, make_user):
    log_in(client, make_user(R.LEADER, tree.thai_nguyen))
    page = client.get(reverse("accounts:two-factor-setup"))
    assert page.status_code == 200
    assert 'data-nav="' not in page.content.decode()  # no menu to pages that would bounce back
    assert 'data-testid="header-search"' not in page.content.decode()  # nor a search box
    assert client.get(reverse("search"), {"q": "pho yen"}).status_code == 302
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("accounts:login"))


# --- Setting up ---------------------------------------------------------------------------------------


def test_setting_up_shows_a_qr_code_and_key_then_the_first_code_turns_it_on(client, tree, make_user, clock):
    user = make_user(R.LEADER, tree.thai_nguyen, username="ld.tn")
    log_in(client, user, "/cases/")
    page = client.get(reverse("accounts:two-factor-setup") + "?next=/cases/").content.decode()
    qr = re.search(r'data-testid="qr-code">(.*?)</div>', page, re.S).group(1)
    assert qr.startswith("<svg") and "<path" in qr and "script" not in qr
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'data-testid="secret-key">([A-Z2-7 ]+)<', page).group(1)
    from base64 import b32decode

    key = secret.replace(" ", "")
    assert b32decode(key + "=" * (-len(key) % 8)) == device.bin_key
    # Reloading the page keeps the same key (the user may be half-way through scanning it).
    client.get(reverse("accounts:two-factor-setup"))
    assert TOTPDevice.objects.filter(user=user).count() == 1

    wrong = client.post(reverse("accounts:two-factor-setup"), {"code": "000000", "next": "/cases/"})
    assert wrong.status_code == 200 and 'data-testid="code-error"' in wrong.content.decode()
    assert not two_factor.has_device(user)
    assert dashboard_status(client) == 302

    done = client.post(reverse("accounts:two-factor-setup"), {"code": app_code(device), "next": "/cases/"})
    assert done.status_code == 200
    codes = re.findall(r'<li class="col">([a-z0-9]+)</li>', done.content.decode())
    assert len(codes) == two_factor.BACKUP_CODE_COUNT == len(set(codes))
    assert 'href="/cases/"' in done.content.decode()
    assert two_factor.has_device(user)
    assert dashboard_status(client) == 200


def test_a_password_alone_cannot_set_up_a_new_device_over_an_existing_one(client, tree, make_user, clock):
    user = make_user(R.LEADER, tree.thai_nguyen)
    device = with_device(user)
    log_in(client, user)
    response = client.get(reverse("accounts:two-factor-setup"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:second-step"))
    attacker_code = client.post(reverse("accounts:two-factor-setup"), {"code": "123456"})
    assert attacker_code.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [device]


def test_moving_to_a_new_phone_replaces_the_old_device(client, tree, make_user, clock):
    user = make_user(R.LEADER, tree.thai_nguyen)
    old = with_device(user)
    log_in(client, user)
    send_code(client, app_code(old))
    client.get(reverse("accounts:two-factor-setup"))
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("accounts:two-factor-setup"), {"code": app_code(new)})
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    new.refresh_from_db()
    assert new.confirmed


# --- Codes --------------------------------------------------------------------------------------------


def test_a_wrong_code_is_refused_and_a_code_works_only_once(client, tree, make_user, clock):
    user = make_user(R.LEADER, tree.thai_nguyen)
    device = with_device(user)
    log_in(client, user)
    wrong = send_code(client, "123456" if app_code(device) != "123456" else "654321")
    assert wrong.status_code == 200 and 'data-testid="code-error"' in wrong.content.decode()
    assert dashboard_status(client) == 302
    clock.advance(5)
    code = app_code(device)
    assert send_code(client, code).status_code == 302
    assert dashboard_status(client) == 200

    # Someone who saw the code (over a shoulder) and has the password cannot use it again.
    thief = Client()
    log_in(thief, user)
    clock.advance(5)
    assert send_code(thief, code).status_code == 200
    assert thief.get(reverse("dashboard")).status_code == 302


def test_wrong_codes_make_the_next_try_wait(client, tree, make_user, clock):
    user = make_user(R.LEADER, tree.thai_nguyen)
    device = with_device(user)
    log_in(client, user)
    for _ in range(3):
        send_code(client, "000001")
    # Three failures: the next try must wait 4 seconds, even with the right code.
    refused = send_code(client, app_code(device))
    assert refused.status_code == 200
    assert re.search(r"\b[1-4]\b", refused.context["form"].errors["code"][0])
    clock.advance(5)
    assert send_code(client, app_code(device)).status_code == 302


def test_a_backup_code_opens_once_and_says_how_many_are_left(client, tree, make_user, clock):
    user = make_user(R.LEADER, tree.thai_nguyen)
    with_device(user)
    codes = two_factor.backup_codes_renew(user)
    log_in(client, user)
    response = send_code(client, f" {codes[0].upper()} ")
    assert response.status_code == 302
    messages = [str(m) for m in client.get(reverse("dashboard")).context["messages"]]
    assert any("9" in m for m in messages)
    assert StaticToken.objects.filter(device__user=user).count() == 9

    again = Client()
    log_in(again, user)
    clock.advance(5)
    assert send_code(again, codes[0]).status_code == 200
    clock.advance(5)  # past the wait a wrong code earns
    assert send_code(again, codes[1]).status_code == 302


def test_new_backup_codes_replace_the_old_ones(client, tree, make_user, clock):
    user = make_user(R.LEADER, tree.thai_nguyen)
    device = with_device(user)
    old = two_factor.backup_codes_renew(user)
    log_in(client, user)
    send_code(client, app_code(device))
    page = client.get(reverse("accounts:security")).content.decode()
    assert 'data-testid="codes-left"' in page and "10" in page
    renewed = client.post(reverse("accounts:security"), {"action": "renew-codes"})
    new = re.findall(r'<li class="col">([a-z0-9]+)</li>', renewed.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    other = Client()
    log_in(other, user)
    assert send_code(other, old[0]).status_code == 200
    clock.advance(5)
    assert send_code(other, new[0]).status_code == 302


def test_the_code_page_never_sends_the_user_to_another_site(client, tree, make_user, clock):
    user = make_user(R.LEADER, tree.thai_nguyen)
    device = with_device(user)
    log_in(client, user)
    response = send_code(client, app_code(device), "https://evil.example/phish")
    assert response["Location"] == reverse("dashboard")


def test_passing_the_step_gives_the_session_a_new_key(client, tree, make_user, clock):
    user = make_user(R.LEADER, tree.thai_nguyen)
    device = with_device(user)
    log_in(client, user)
    before = client.cookies["sessionid"].value
    send_code(client, app_code(device))
    assert client.cookies["sessionid"].value != before


# --- The admin site -----------------------------------------------------------------------------------


def test_entering_the_admin_needs_the_second_step_even_for_roles_that_may_skip_it(client, tree, make_user, clock):
    officer = make_user(R.STANDING_OFFICER, tree.thai_nguyen)
    log_in(client, officer)
    assert dashboard_status(client) == 200
    held = client.get(reverse("admin:index"))
    assert held.status_code == 302 and held["Location"].startswith(reverse("accounts:two-factor-setup"))
    client.get(held["Location"])
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    client.post(reverse("accounts:two-factor-setup"), {"code": app_code(device), "next": "/admin/"})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_site_checks_the_second_step_itself_too(client, tree, make_user, settings, password_only_login):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("SecondStepMiddleware")]
    password_only_login(client, make_user(R.ADMIN, tree.thai_nguyen))
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302


def test_the_admin_log_in_page_is_the_portal_one(client, tree, make_user):
    response = client.get(reverse("admin:login") + "?next=/admin/cases/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fadmin%2Fcases%2F"
    client.force_login(make_user(R.VIEWER, tree.thai_nguyen))
    assert client.get(reverse("admin:login")).status_code == 403


def test_device_keys_are_not_browsable_in_the_admin(client, tree, make_user):
    client.force_login(make_user(R.ADMIN, tree.root))
    index = client.get(reverse("admin:index")).content.decode()
    assert "otp_totp" not in index and "otp_static" not in index
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


# --- Recovery: an admin in scope resets a lost phone --------------------------------------------------


def reset_through_admin(client: Client, *users: User):
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [u.pk for u in users]},
        follow=True,
    )


def test_an_admin_resets_a_lost_phone_and_the_users_open_sessions_must_pass_again(client, tree, make_user, clock):
    admin = make_user(R.ADMIN, tree.thai_nguyen, username="qt.tn")
    leader = make_user(R.LEADER, tree.pho_yen)
    device = with_device(leader)
    two_factor.backup_codes_renew(leader)
    leaders_phone_session = Client()
    log_in(leaders_phone_session, leader)
    send_code(leaders_phone_session, app_code(device))
    assert leaders_phone_session.get(reverse("dashboard")).status_code == 200

    client.force_login(admin)
    page = reset_through_admin(client, leader).content.decode()
    assert "1" in page
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert not StaticToken.objects.filter(device__user=leader).exists()
    held = leaders_phone_session.get(reverse("dashboard"))
    assert held.status_code == 302 and held["Location"].startswith(reverse("accounts:two-factor-setup"))
    latest = leader.history.order_by("-history_date").first()
    assert latest.history_user == admin and latest.second_step_epoch == 1


def test_an_admin_cannot_reset_users_outside_scope_or_themselves(client, tree, make_user):
    admin = make_user(R.ADMIN, tree.thai_nguyen)
    outsider = make_user(R.LEADER, tree.ha_noi)
    with_device(outsider)
    with_device(admin)
    client.force_login(admin)
    reset_through_admin(client, outsider)
    assert two_factor.has_device(outsider)
    page = reset_through_admin(client, admin).content.decode()
    assert two_factor.has_device(admin)
    assert 'class="error"' in page


def test_roles_that_do_not_manage_users_have_no_reset(client, tree, make_user):
    leader = make_user(R.LEADER, tree.thai_nguyen)
    viewer = make_user(R.VIEWER, tree.pho_yen)
    with_device(viewer)
    client.force_login(leader)
    reset_through_admin(client, viewer)
    assert two_factor.has_device(viewer)


# --- The API token ------------------------------------------------------------------------------------


def ask_token(user: User, **extra):
    return APIClient().post(reverse("api:token"), {"username": user.username, "password": TEST_PASSWORD, **extra})


def test_the_api_token_needs_the_code_where_the_account_has_one(tree, make_user, clock):
    leader = make_user(R.LEADER, tree.thai_nguyen)
    no_device = ask_token(leader)
    assert no_device.status_code == 400 and "otp" in no_device.json()
    device = with_device(leader)
    assert ask_token(leader).status_code == 400
    assert ask_token(leader, otp="000000").status_code == 400
    clock.advance(10)
    token = ask_token(leader, otp=app_code(device))
    assert token.status_code == 200 and token.json()["token"]
    investigator = make_user(R.INVESTIGATOR, tree.thai_nguyen)
    assert ask_token(investigator).status_code == 200


# --- The demo -----------------------------------------------------------------------------------------


def test_the_demo_leaders_log_in_with_the_code_demo_otp_prints(client, tree, roles, settings, clock, capsys):
    from django.core.management import call_command

    settings.PORTAL_DEMO_SEEDERS = []
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: still one device each
    assert TOTPDevice.objects.filter(user__username="tn.lanhdao").count() == 1
    assert sorted(TOTPDevice.objects.values_list("user__username", flat=True)) == [
        "tn.admin",
        "tn.lanhdao",
        "tw.admin",
        "tw.lanhdao",
    ]
    capsys.readouterr()
    call_command("demo_otp")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    client.post(reverse("accounts:login"), {"username": "tn.lanhdao", "password": "demo-bcd138-2026"})
    assert send_code(client, code).status_code == 302
    assert dashboard_status(client) == 200

"""Two-step log-in: a code from an authenticator app (TOTP) or a one-time backup code after the password.

Devices are django-otp's (`TOTPDevice`, and a `StaticDevice` holding the backup codes). Whether a
session has passed the second step is kept in the session as the user's `second_step_epoch`; resetting
a user's two-step verification raises the epoch, so every session they opened before stops counting at
once, without a query per request (the user row is loaded anyway).

Who must pass it: the roles in `settings.PORTAL_2FA_ROLES` (admin and leader by default) and superusers,
on every page and on the API; anyone who has set up a device, at each log-in; anyone entering /admin/.
"""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

SESSION_KEY = "portal_second_step"  # holds user.second_step_epoch once the session passed the step
PENDING_KEY = "portal_second_step_pending"  # set at log-in for users who have a device
BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"


class CodeRefused(ValidationError):
    """A wrong, reused or throttled code; the message says which, in the user's language."""


def required_for(user) -> bool:
    """True when the user's role (or superuser status) makes the second step compulsory."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.role in settings.PORTAL_2FA_ROLES


def app_device(user: User, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("-pk").first()


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def passed(request: HttpRequest) -> bool:
    """True when this session passed the second step since the user's last reset."""
    return request.session.get(SESSION_KEY) == request.user.second_step_epoch


def needed(request: HttpRequest) -> bool:
    """True when this request must wait for the second step."""
    user = request.user
    if not user.is_authenticated or passed(request):
        return False
    return required_for(user) or bool(request.session.get(PENDING_KEY)) or request.path.startswith("/admin/")


def step_url(user: User, next_url: str) -> str:
    """Where the second step happens for this user: the code page, or setting a device up first."""
    from urllib.parse import urlencode

    from django.urls import reverse

    step = "accounts:second-step" if has_device(user) else "accounts:two-factor-setup"
    return f"{reverse(step)}?{urlencode({'next': next_url})}"


def mark_pending_at_log_in(request: HttpRequest, user: User) -> bool:
    """Called after the password: remembers that this session owes a code. True when it does."""
    owes = required_for(user) or has_device(user)
    if owes:
        request.session[PENDING_KEY] = True
    return owes


def mark_passed(request: HttpRequest) -> None:
    # A new session key, as at log-in: a session id seen before the second step is worth nothing after.
    request.session.cycle_key()
    request.session[SESSION_KEY] = request.user.second_step_epoch
    request.session.pop(PENDING_KEY, None)


def _refuse_if_throttled(device) -> None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return
    locked_until = (data or {}).get("locked_until")
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 60
    raise CodeRefused(_("Too many wrong codes. Wait %(seconds)d seconds before the next try.") % {"seconds": seconds})


def check_code(user: User, code: str) -> str:
    """Accepts a current app code or an unused backup code; returns which ("app" or "backup").

    Each wrong code makes the next try wait longer (django-otp's throttling, per device); an app code
    is good once (a replayed one is refused), a backup code is spent when used."""
    code = "".join(str(code or "").split()).lower()
    if not code:
        raise CodeRefused(_("Enter the 6-digit code from your authenticator app, or a backup code."))
    app = app_device(user)
    backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if app is None and backup is None:
        raise CodeRefused(_("Two-step verification is not set up for this account."))
    if code.isdigit() and len(code) == 6 and app is not None:
        _refuse_if_throttled(app)
        if app.verify_token(code):
            return "app"
    elif backup is not None:
        _refuse_if_throttled(backup)
        if backup.verify_token(code):
            return "backup"
    raise CodeRefused(_("The code is wrong or has already been used. Check your phone's clock and try again."))


# --- Setting up --------------------------------------------------------------------------------------


@dataclass
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, grouped by four for typing
    qr_svg: SafeString


def enrolment_start(user: User) -> Enrolment:
    """The unconfirmed app device to scan (kept between page loads until it is confirmed)."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return Enrolment(device=device, secret=_grouped_secret(device), qr_svg=_qr_svg(device))


def _grouped_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_svg(device: TOTPDevice) -> SafeString:
    # segno writes plain <svg><path>: no script, no style, so the page's CSP needs nothing more.
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, title=_("QR code to scan"))
    return mark_safe(svg)  # noqa: S308 - generated by segno from our own URL, nothing from the user


@transaction.atomic
def enrolment_confirm(user: User, code: str) -> list[str]:
    """Checks the first code of the scanned device; makes it the user's only app device and returns
    fresh backup codes (shown once)."""
    device = app_device(user, confirmed=False)
    if device is None:
        raise CodeRefused(_("Start again: the set-up page shows a new QR code."))
    code = "".join(str(code or "").split())
    if not (code.isdigit() and len(code) == 6) or not device.verify_token(code):
        raise CodeRefused(_("The code is wrong. Check your phone's clock and type the code shown now."))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_renew(user)


@transaction.atomic
def backup_codes_renew(user: User) -> list[str]:
    """New backup codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def reset(*, user: User, by: User) -> None:
    """An admin's recovery for a user who lost their phone and codes: removes the devices and ends the
    second step of every session the user has open. The user sets up a new device at their next
    log-in (at once, if their role requires it). Recorded in the user's history with who did it."""
    if by.pk == user.pk:
        raise ValidationError(_("You cannot reset your own two-step verification: ask another administrator."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.refresh_from_db(fields=["second_step_epoch"])
    user.second_step_epoch += 1
    user._history_user = by  # the history row says who reset it, and when
    user.save(update_fields=["second_step_epoch"])

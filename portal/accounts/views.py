"""Log-in (password, then the two-step code), log-out, account security and the lock-out answer."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import two_factor
from .forms import CodeForm, LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if not two_factor.mark_pending_at_log_in(self.request, user):
            return response
        return redirect(two_factor.step_url(user, self.get_success_url()))


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
def second_step(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the authenticator app, or a backup code."""
    if not two_factor.needed(request):
        return redirect(_next_url(request))
    if not two_factor.has_device(request.user):
        return redirect(two_factor.step_url(request.user, _next_url(request)))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            used = two_factor.check_code(request.user, form.cleaned_data["code"])
        except ValidationError as refused:
            form.add_error("code", refused)
        else:
            two_factor.mark_passed(request)
            if used == "backup":
                left = two_factor.backup_codes_left(request.user)
                messages.warning(
                    request,
                    _("You used a backup code; %(left)d are left. Make new ones under Account security.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
    return render(request, "accounts/second_step.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Scan a QR code (or type the key) into an authenticator app, confirm with its first code, and
    receive the backup codes. Replacing a device needs a session that passed the step with the old one:
    a password alone never sets up a new device."""
    if two_factor.has_device(request.user) and not two_factor.passed(request):
        return redirect(two_factor.step_url(request.user, _next_url(request)))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.enrolment_confirm(request.user, form.cleaned_data["code"])
        except ValidationError as refused:
            form.add_error("code", refused)
        else:
            two_factor.mark_passed(request)
            return render(
                request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request), "new_device": True}
            )
    enrolment = two_factor.enrolment_start(request.user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "enrolment": enrolment,
            "next": _next_url(request),
            "required": two_factor.required_for(request.user),
        },
    )


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The user's two-step verification: whether it is on, backup codes left, new backup codes."""
    user = request.user
    has_device = two_factor.has_device(user)
    if request.method == "POST" and request.POST.get("action") == "renew-codes" and has_device:
        codes = two_factor.backup_codes_renew(user)
        return render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("accounts:security")})
    device = two_factor.app_device(user) if has_device else None
    return render(
        request,
        "accounts/security.html",
        {
            "device": device,
            "codes_left": two_factor.backup_codes_left(user) if has_device else 0,
            "required": two_factor.required_for(user),
        },
    )


class LogoutView(auth_views.LogoutView):
    pass


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out (username, address) pair is told, on pages and on the API."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed log-in attempts for this account from this computer. "
        "Log-in is locked for %(minutes)d minutes; try again later or ask your unit's administrator."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=settings.AXES_HTTP_RESPONSE_CODE)
    return render(
        request,
        "accounts/locked_out.html",
        {"message": message, "minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )

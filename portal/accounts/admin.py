"""Admin for users: scoped to the admin's subtree; roles and units only up to their own."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import TokenProxy
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_site import ScopedAdminMixin
from portal.units.selectors import unit_choices_for_users

from . import two_factor
from .models import User
from .permissions import can_manage_user, grantable_roles
from .services import check_grant, user_check_change, user_sync_access


class _ScopedUserFormMixin:
    """Limits the unit and role choices to the acting admin's, and re-checks them on save."""

    actor: User

    def limit_choices(self) -> None:
        if "unit" in self.fields:
            self.fields["unit"].queryset = unit_choices_for_users(actor=self.actor)
            self.fields["unit"].required = True
        if "role" in self.fields:
            allowed = set(grantable_roles(self.actor))
            self.fields["role"].choices = [(v, label) for v, label in User.Role.choices if v in allowed]
            self.fields["role"].required = True

    def clean(self):
        cleaned = super().clean()
        try:
            self.check_access(cleaned)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return cleaned

    def check_access(self, cleaned: dict) -> None:
        unit, role = cleaned.get("unit"), cleaned.get("role")
        if self.instance.pk:
            user_check_change(
                actor=self.actor,
                user=User.objects.select_related("unit").get(pk=self.instance.pk),
                unit=unit,
                role=role,
                is_active=cleaned.get("is_active", True),
            )
        else:
            check_grant(actor=self.actor, unit=unit, role=role)


class UserChangeForm(_ScopedUserFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "full_name", "email", "unit", "role", "is_active"]


class UserCreationForm(_ScopedUserFormMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "email", "unit", "role"]


@admin.register(User)
class UserAdmin(ScopedAdminMixin, SimpleHistoryAdmin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ["username", "full_name", "role", "unit", "is_active", "has_second_step", "last_login"]
    list_filter = ["role", "is_active"]
    list_select_related = ["unit"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "full_name", "email"]}),
        (_("Access"), {"fields": ["unit", "role", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "full_name", "email", "unit", "role"]}),
        (_("Password"), {"fields": ["usable_password", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(second_step_on=Exists(devices))

    @admin.display(boolean=True, description=_("two-step verification"), ordering="second_step_on")
    def has_second_step(self, obj) -> bool:
        return obj.second_step_on

    def has_reset_two_factor_permission(self, request) -> bool:
        from .permissions import has_capability
        from .roles import C

        return has_capability(request.user, C.MANAGE_USERS)

    @admin.action(permissions=["reset_two_factor"], description=_("Reset two-step verification (lost phone)"))
    def reset_two_factor(self, request, queryset):
        done = 0
        for user in queryset:
            if not can_manage_user(request.user, user):
                continue
            try:
                two_factor.reset(user=user, by=request.user)
            except ValidationError as refused:
                self.message_user(request, f"{user.username}: {refused.messages[0]}", level="error")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "Two-step verification reset for %(count)d user: they set it up again at their next log-in.",
                    "Two-step verification reset for %(count)d users: they set it up again at their next log-in.",
                    done,
                )
                % {"count": done},
            )

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        actor = request.user

        class ScopedForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                self.actor = actor
                self.limit_choices()

        return ScopedForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        user_sync_access(user=obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Users are deactivated, never deleted: their history and records keep pointing at them.
        return False


# Only scoped ModelAdmins are served: role groups are managed by `sync_roles`, and API tokens
# (which carry no unit to scope by) are not browsable in the admin.
admin.site.unregister(Group)
admin.site.unregister(TokenProxy)
# django-otp's own device admins list every user's devices (and show their keys as QR codes): a user's
# devices are managed by the user (Account security) and reset by an admin in scope (the action above).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)

"""Admin for targets (set through the target services), summary snapshots (read-only; approve, rebuild),
report subscriptions (through their services) and the delivery log (read-only; resend)."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal.accounts.permissions import has_capability
from portal.accounts.roles import C
from portal.admin_site import ScopedAdminMixin
from portal.units.models import Unit
from portal.units.text import search_key

from .models import ReportDelivery, ReportSubscription, Summary, Target
from .services import target_check, target_create, target_update
from .snapshots import period_of, summary_approve, summary_build

TARGET_FIELDS = ["indicator", "unit", "year_from", "year_to", "value", "source"]


class TargetAdminForm(forms.ModelForm):
    actor = None  # set by TargetAdmin.get_form

    class Meta:
        model = Target
        fields = TARGET_FIELDS

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # The service's own checks, so a refusal shows on the form instead of after a "saved" message.
        target = Target(pk=self.instance.pk, **{f: cleaned.get(f) for f in TARGET_FIELDS})
        try:
            target_check(actor=self.actor, target=target)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return cleaned


class UnitSearchActorFormMixin:
    """Unit names searched without diacritics; the form knows who saves it (its services check the actor)."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_key(search_term) or search_term)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        return type(form_class.__name__, (form_class,), {"actor": request.user})


@admin.register(Target)
class TargetAdmin(UnitSearchActorFormMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = TargetAdminForm
    list_display = ["indicator", "unit", "year_from", "year_to", "value", "source"]
    list_filter = ["indicator"]
    list_select_related = ["unit"]
    search_fields = ["unit__search_name", "=unit__code", "source"]
    autocomplete_fields = ["unit"]
    fields = TARGET_FIELDS

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            # Targets are set for the user's own unit and the current units under it; ancestors' are read-only.
            unit = request.user.unit
            kwargs["queryset"] = Unit.objects.current().subtree(unit) if unit else Unit.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or request.user.unit.contains(obj.unit))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        values = {f: form.cleaned_data[f] for f in TARGET_FIELDS}
        if change:
            original = Target.objects.get(pk=obj.pk)
            target_update(actor=request.user, target=original, **{f: values[f] for f in form.changed_data})
        else:
            created = target_create(actor=request.user, **values)
            obj.pk, obj._state.adding = created.pk, False


@admin.register(Summary)
class SummaryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["unit", "period_spec", "start", "end", "version", "is_current", "built_at", "approved_by"]
    list_filter = ["is_current", ("approved_at", admin.EmptyFieldListFilter), "period_spec"]
    list_select_related = ["unit", "approved_by"]
    search_fields = ["unit__search_name", "=unit__code", "=period_spec"]
    date_hierarchy = "end"
    show_full_result_count = False
    fields = [
        "unit",
        "period_spec",
        ("start", "end"),
        ("version", "is_current"),
        "built_at",
        ("approved_by", "approved_at"),
        "figures_table",
    ]
    readonly_fields = [
        "unit",
        "period_spec",
        "start",
        "end",
        "version",
        "is_current",
        "built_at",
        "approved_by",
        "approved_at",
        "figures_table",
    ]
    actions = ["approve", "rebuild"]

    @admin.display(description=_("figures"))
    def figures_table(self, summary: Summary):
        return format_html("<pre>{}</pre>", json.dumps(summary.figures, ensure_ascii=False, indent=2))

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_key(search_term) or search_term)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # figures come from the cases; approval and rebuilds are the actions below

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_approve_permission(self, request) -> bool:
        return has_capability(request.user, C.APPROVE_SUMMARIES)

    has_rebuild_permission = has_approve_permission

    @admin.action(description=_("Approve the selected summaries"), permissions=["approve"])
    def approve(self, request, queryset) -> None:
        approved = 0
        # Units below first, so a province and its communes can be approved in one go.
        for summary in queryset.filter(is_current=True).select_related("unit").order_by("-unit__level", "unit__path"):
            try:
                summary_approve(unit=summary.unit, period=period_of(summary), actor=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                approved += 1
        if skipped := queryset.filter(is_current=False).count():
            self.message_user(
                request,
                ngettext(
                    "%(n)d older version was skipped: only the current version can be approved.",
                    "%(n)d older versions were skipped: only the current version can be approved.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )
        if approved:
            self.message_user(
                request, ngettext("%(n)d summary approved.", "%(n)d summaries approved.", approved) % {"n": approved}
            )

    @admin.action(description=_("Rebuild the selected summaries from the cases"), permissions=["rebuild"])
    def rebuild(self, request, queryset) -> None:
        windows = {(s.unit_id, s.start, s.end): s for s in queryset.select_related("unit")}
        for summary in windows.values():
            summary_build(unit=summary.unit, period=period_of(summary), actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(n)d summary rebuilt (an approved one changes only by a new version that needs approval).",
                "%(n)d summaries rebuilt (an approved one changes only by a new version that needs approval).",
                len(windows),
            )
            % {"n": len(windows)},
        )


# --- Report subscriptions and deliveries --------------------------------------------------------------


class ReportSubscriptionAdminForm(forms.ModelForm):
    actor = None  # set by ReportSubscriptionAdmin.get_form

    class Meta:
        model = ReportSubscription
        fields = ["user", "unit", "period_kind", "formats", "language", "active"]

    def clean(self):
        from .subscriptions import _check

        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = ReportSubscription(pk=self.instance.pk, **cleaned)
        try:
            if candidate.active:
                _check(actor=self.actor, subscription=candidate)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return cleaned


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(UnitSearchActorFormMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = ReportSubscriptionAdminForm
    list_display = ["user", "unit", "period_kind", "formats", "language", "active", "updated_at"]
    list_filter = ["active", "period_kind", "formats", "language"]
    list_select_related = ["user", "unit"]
    search_fields = ["user__username", "user__full_name", "user__email", "unit__search_name", "=unit__code"]
    autocomplete_fields = ["unit"]
    fields = ["user", "unit", "period_kind", "formats", "language", "active"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from .subscriptions import recipient_choices

        if db_field.name == "user":
            kwargs["queryset"] = recipient_choices(user=request.user)
        elif db_field.name == "unit":
            unit = request.user.unit
            kwargs["queryset"] = Unit.objects.current().subtree(unit) if unit else Unit.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # ended, never deleted: the delivery log stays

    def save_model(self, request, obj, form, change) -> None:
        from .subscriptions import subscription_create, subscription_update

        values = {f: form.cleaned_data[f] for f in self.fields}
        if change:
            original = ReportSubscription.objects.get(pk=obj.pk)
            changed = {
                f: values[f] for f in form.changed_data if f in {"unit", "period_kind", "formats", "language", "active"}
            }
            subscription_update(actor=request.user, subscription=original, version=original.version, **changed)
        else:
            values.pop("active")
            created = subscription_create(actor=request.user, **values)
            obj.pk, obj._state.adding = created.pk, False


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["period_spec", "subscription", "status", "attempts", "sent_at", "created_at", "short_error"]
    list_filter = ["status", "period_spec"]
    list_select_related = ["subscription", "subscription__user", "subscription__unit"]
    search_fields = ["=period_spec", "subscription__user__username", "subscription__unit__search_name"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "subscription",
        "period_spec",
        "period_start",
        "period_end",
        "status",
        "attempts",
        "error",
        "created_at",
        "sent_at",
    ]
    fields = readonly_fields
    actions = ["resend"]

    @admin.display(description=_("error"))
    def short_error(self, delivery: ReportDelivery) -> str:
        return delivery.error[:80]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_resend_permission(self, request) -> bool:
        return has_capability(request.user, C.VIEW_DASHBOARD)

    @admin.action(description=_("Send the selected failed reports again"), permissions=["resend"])
    def resend(self, request, queryset) -> None:
        from django.db import transaction

        from .delivery import _enqueue, deliveries_reset_failed

        ids = deliveries_reset_failed(ids=queryset.values_list("pk", flat=True))
        for pk in ids:
            transaction.on_commit(lambda pk=pk: _enqueue(pk))
        self.message_user(
            request,
            ngettext(
                "%(n)d failed report queued to be sent again.",
                "%(n)d failed reports queued to be sent again.",
                len(ids),
            )
            % {"n": len(ids)},
        )

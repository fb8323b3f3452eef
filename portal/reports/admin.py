"""Admin for targets (set through the target services) and summary snapshots (read-only; approve, rebuild)."""

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

from .models import Summary, Target
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


@admin.register(Target)
class TargetAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = TargetAdminForm
    list_display = ["indicator", "unit", "year_from", "year_to", "value", "source"]
    list_filter = ["indicator"]
    list_select_related = ["unit"]
    search_fields = ["unit__search_name", "=unit__code", "source"]
    autocomplete_fields = ["unit"]
    fields = TARGET_FIELDS

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_key(search_term) or search_term)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        return type(form_class.__name__, (form_class,), {"actor": request.user})

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

"""Inspection and directive pages: the filtered lists, the inspection's file (documents, directives and the
forms that add them), the directive's file (timeline, evidence, progress form), the record/edit forms and the
scoped downloads."""

import os

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View

from portal.audit.services import audit_record
from portal.stale import changed_since, display_value

from ..filters.inspections import DirectiveFilter, InspectionFilter
from ..forms.inspections import (
    DirectiveForm,
    DirectiveProgressForm,
    DocumentForm,
    InspectionForm,
    add_service_error,
    directive_filter_form,
    inspection_filter_form,
    style,
)
from ..models import Directive, DirectiveUpdate, Inspection, InspectionDocument, Topic
from ..permissions import (
    can_change_inspection,
    can_edit_oversight,
    can_raise_recommendations,
    can_report_directive_progress,
    can_view_oversight,
)
from ..selectors import (
    directive_detail,
    directive_get,
    directive_list,
    document_get,
    inspection_detail,
    inspection_get,
    inspection_list,
)
from ..services import (
    DIRECTIVE_EDITABLE,
    INSPECTION_EDITABLE,
    InspectionStaleVersionError,
    directive_create,
    directive_progress,
    directive_update,
    document_attach,
    document_delete,
    inspection_create,
    inspection_update,
)
from ..services.inspections import DOCUMENT_TYPES

PAGE_SIZE = 50


def topic_labels(inspection: Inspection) -> list[str]:
    labels = dict(Topic.choices)
    return [str(labels.get(t, t)) for t in inspection.topics]


def file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download, never rendered inline; a file missing from storage is a 404."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def show_value(record, name: str) -> str:
    return ", ".join(topic_labels(record)) if name == "topics" else display_value(record, name)


class OversightReadMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Every inspection page: logged in (else the log-in page), and a role that reads oversight (else 403)."""

    def test_func(self) -> bool:
        return can_view_oversight(self.request.user)


class OversightWriteMixin(OversightReadMixin):
    """Pages that record inspections, documents and directives: a role without the right is refused (403) before
    any lookup; an inspection out of scope is then a 404, one seen from the inspected side a 403."""

    def test_func(self) -> bool:
        return can_edit_oversight(self.request.user)

    def changeable(self, inspection: Inspection) -> Inspection:
        if not can_change_inspection(self.request.user, inspection):
            raise PermissionDenied(_("Only the inspecting unit or a unit above it can change this inspection."))
        return inspection


# --- Lists -----------------------------------------------------------------------------------------


class InspectionListView(OversightReadMixin, View):
    def get(self, request):
        filterset = InspectionFilter(request.GET, queryset=inspection_list(user=request.user), request=request)
        form = inspection_filter_form(filterset.form)  # before filtering: dates are read dd/mm/yyyy
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        inspections = list(page.object_list)
        for inspection in inspections:
            inspection.topic_labels = topic_labels(inspection)
        context = {
            "filter_form": form,
            "page_obj": page,
            "inspections": inspections,
            "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
            "can_create": can_edit_oversight(request.user),
        }
        return render(request, "oversight/inspection_list.html", context)


class DirectiveListView(OversightReadMixin, View):
    def get(self, request):
        filterset = DirectiveFilter(request.GET, queryset=directive_list(user=request.user), request=request)
        form = directive_filter_form(filterset.form)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        directives = list(page.object_list)
        for directive in directives:
            directive.is_overdue = directive.is_overdue_on(today)
        context = {
            "filter_form": form,
            "page_obj": page,
            "directives": directives,
            "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
        }
        return render(request, "oversight/directive_list.html", context)


# --- The inspection's file -------------------------------------------------------------------------


def inspection_page_context(request, inspection: Inspection, **bound: forms.Form) -> dict:
    """Everything the inspection's file shows; `bound` holds a refused form (document_form or directive_form),
    shown in its place with its errors and the user's input kept."""
    today = timezone.localdate()
    directives = list(inspection.directives.all())
    for directive in directives:
        directive.is_overdue = directive.is_overdue_on(today)
    context = {
        "inspection": inspection,
        "topics": topic_labels(inspection),
        "directives": directives,
        "can_edit": can_change_inspection(request.user, inspection),
        "can_raise": can_raise_recommendations(request.user),
        **bound,
    }
    if context["can_edit"]:
        context["document_form"] = style(bound.get("document_form") or DocumentForm())
        context["directive_form"] = style(
            bound.get("directive_form") or DirectiveForm(user=request.user, inspection=inspection)
        )
    return context


class InspectionDetailView(OversightReadMixin, View):
    def get(self, request, pk: int):
        inspection = inspection_detail(user=request.user, inspection_id=pk)
        return render(request, "oversight/inspection_detail.html", inspection_page_context(request, inspection))


class InspectionActionView(OversightWriteMixin, View):
    """One form of the inspection's file, posted: success goes back to the file with a message; a refusal shows
    the file again with the message beside that form and the input kept."""

    http_method_names = ["post"]
    context_name: str

    def make_form(self, inspection: Inspection) -> forms.Form:
        raise NotImplementedError

    def perform(self, inspection: Inspection, form: forms.Form) -> str:
        """Call the service; answer the success message."""
        raise NotImplementedError

    def post(self, request, pk: int):
        inspection = self.changeable(inspection_get(user=request.user, inspection_id=pk))  # out of scope: 404
        form = self.make_form(inspection)
        if form.is_valid():
            try:
                message = self.perform(inspection, form)
            except ValidationError as error:  # InspectionError, or the model's own validation
                add_service_error(form, error)
            else:
                messages.success(request, message)
                return redirect("oversight:inspection-detail", pk=pk)
        inspection = inspection_detail(user=request.user, inspection_id=pk)
        context = inspection_page_context(request, inspection, **{self.context_name: form})
        return render(request, "oversight/inspection_detail.html", context)


class DocumentUploadView(InspectionActionView):
    context_name = "document_form"

    def make_form(self, inspection: Inspection) -> forms.Form:
        return DocumentForm(self.request.POST, self.request.FILES)

    def perform(self, inspection: Inspection, form: forms.Form) -> str:
        document = document_attach(
            inspection=inspection, actor=self.request.user, uploaded_file=form.cleaned_data["file"]
        )
        return _("Document “%(name)s” attached.") % {"name": document.name}


class DirectiveCreateView(InspectionActionView):
    context_name = "directive_form"

    def make_form(self, inspection: Inspection) -> forms.Form:
        return DirectiveForm(self.request.POST, user=self.request.user, inspection=inspection)

    def perform(self, inspection: Inspection, form: forms.Form) -> str:
        directive = directive_create(inspection=inspection, actor=self.request.user, **form.service_arguments())
        return _("Directive recorded, due on %(d)s.") % {"d": date_format(directive.due_on, "d/m/Y")}


class DocumentDownloadView(OversightReadMixin, View):
    """A document of an inspection in scope, as an attachment typed from its row (never from the file name)."""

    def get(self, request, pk: int, doc: int):
        document = document_get(user=request.user, inspection_id=pk, document_id=doc)
        audit_record(action="download", request=request, obj=document, object_repr=document.name)
        return file_response(document.file, filename=document.name, content_type=document.content_type)


class DocumentDeleteView(OversightWriteMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int, doc: int):
        document: InspectionDocument = document_get(user=request.user, inspection_id=pk, document_id=doc)
        self.changeable(document.inspection)
        try:
            document_delete(document=document, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Document “%(name)s” removed.") % {"name": document.name})
        return redirect("oversight:inspection-detail", pk=pk)


# --- Record and edit an inspection -----------------------------------------------------------------


class InspectionFormView(OversightWriteMixin, View):
    """Record an inspection (no pk) or edit one; both call the services, which have the last word."""

    template_name = "oversight/inspection_form.html"

    def get_inspection(self, pk: int | None) -> Inspection | None:
        if pk is None:
            return None
        inspection = inspection_detail(user=self.request.user, inspection_id=pk)  # out of scope: 404
        return self.changeable(inspection)

    def render_form(self, form: InspectionForm, inspection: Inspection | None, **extra) -> HttpResponse:
        return render(self.request, self.template_name, {"form": style(form), "inspection": inspection, **extra})

    def get(self, request, pk: int | None = None):
        inspection = self.get_inspection(pk)
        return self.render_form(InspectionForm(user=request.user, inspection=inspection), inspection)

    def post(self, request, pk: int | None = None):
        inspection = self.get_inspection(pk)
        form = InspectionForm(request.POST, user=request.user, inspection=inspection)
        if not form.is_valid():
            return self.render_form(form, inspection)
        try:
            if inspection is None:
                inspection = inspection_create(actor=request.user, **form.service_arguments())
                messages.success(request, _("Inspection “%(name)s” recorded.") % {"name": inspection})
            else:
                inspection = inspection_update(
                    inspection=inspection,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    **form.service_arguments(),
                )
                messages.success(request, _("Inspection “%(name)s” saved.") % {"name": inspection})
        except InspectionStaleVersionError as error:
            return self.stale_edit(form, inspection, error)
        except ValidationError as error:  # InspectionError, or the model's own validation
            add_service_error(form, error)
            return self.render_form(form, inspection)
        return redirect("oversight:inspection-detail", pk=inspection.pk)

    def stale_edit(self, form: InspectionForm, inspection: Inspection, error: ValidationError) -> HttpResponse:
        """Nothing was saved: show what the other person changed, keep the user's input, and let them decide."""
        current = inspection_detail(user=self.request.user, inspection_id=inspection.pk)
        changes = changed_since(current, form.cleaned_data["version"], INSPECTION_EDITABLE, show=show_value)
        data = self.request.POST.copy()
        data["version"] = str(current.version)
        form = InspectionForm(data, user=self.request.user, inspection=current)
        form.is_valid()
        form.add_error(None, error.messages)
        return self.render_form(form, current, stale_changes=changes)


# --- The directive's file --------------------------------------------------------------------------


def directive_page_context(request, directive: Directive, progress_form: forms.Form | None = None) -> dict:
    """Everything the directive's file shows; a refused progress form is shown with its errors and input."""
    user = request.user
    context = {
        "directive": directive,
        "is_overdue": directive.is_overdue_on(timezone.localdate()),
        # A committee carrying a directive out may not see the inspection itself (it was of a unit above it).
        "shows_inspection": Inspection.objects.visible_to(user).filter(pk=directive.inspection_id).exists(),
        "can_edit": can_change_inspection(user, directive.inspection),
        "can_report": can_report_directive_progress(user, directive.responsible_unit),
    }
    if context["can_report"]:
        context["progress_form"] = style(
            progress_form or DirectiveProgressForm(directive=directive, initial={"version": directive.version})
        )
    return context


class DirectiveDetailView(OversightReadMixin, View):
    def get(self, request, pk: int):
        directive = directive_detail(user=request.user, directive_id=pk)
        return render(request, "oversight/directive_detail.html", directive_page_context(request, directive))


class DirectiveProgressView(OversightReadMixin, View):
    """A progress note: success back to the directive with a message; a refusal (an illegal move, a stale
    version, a wrong file) shows the directive again with the message and the input kept."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        directive = directive_get(user=request.user, directive_id=pk)  # out of scope: 404
        if not can_report_directive_progress(request.user, directive.responsible_unit):
            raise PermissionDenied(_("Your role or unit does not allow reporting progress here."))
        form = DirectiveProgressForm(request.POST, request.FILES, directive=directive)
        if form.is_valid():
            data = form.cleaned_data
            try:
                directive = directive_progress(
                    directive=directive,
                    actor=request.user,
                    version=data["version"],
                    note=data["note"],
                    to=data["to"] or None,
                    on=data["on"],
                    evidence=data["evidence"],
                )
            except InspectionStaleVersionError as error:
                # Keep the input; the page shows the directive as it is now, and sending again is the user's call.
                fresh = request.POST.copy()
                fresh["version"] = str(directive_get(user=request.user, directive_id=pk).version)
                form = DirectiveProgressForm(fresh, directive=directive)
                form.is_valid()
                form.add_error(None, error.messages)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                if data["to"]:
                    message = _("Progress recorded; the directive is now “%(status)s”.") % {
                        "status": directive.get_status_display()
                    }
                else:
                    message = _("Progress recorded.")
                messages.success(request, message)
                return redirect("oversight:directive-detail", pk=pk)
        directive = directive_detail(user=request.user, directive_id=pk)
        context = directive_page_context(request, directive, progress_form=form)
        return render(request, "oversight/directive_detail.html", context)


class EvidenceDownloadView(OversightReadMixin, View):
    """The evidence of a progress note, only for a directive the user sees."""

    def get(self, request, pk: int, update_pk: int):
        directive = directive_get(user=request.user, directive_id=pk)  # out of scope: 404
        update = get_object_or_404(DirectiveUpdate.objects.exclude(evidence=""), directive=directive, pk=update_pk)
        ext = os.path.splitext(update.evidence.name)[1].lower()
        content_type = DOCUMENT_TYPES[ext][0] if ext in DOCUMENT_TYPES else "application/octet-stream"
        filename = f"{slugify(_('evidence'))}-{directive.pk}-{update.on:%Y%m%d}-{update.pk}{ext}"
        audit_record(action="download", request=request, obj=update, object_repr=filename)
        return file_response(update.evidence, filename=filename, content_type=content_type)


# --- Edit a directive ------------------------------------------------------------------------------


class DirectiveEditView(OversightWriteMixin, View):
    """Edit what is asked, the responsible unit and the due date; progress has its own form."""

    template_name = "oversight/directive_form.html"

    def get_directive(self, pk: int) -> Directive:
        directive = directive_get(user=self.request.user, directive_id=pk)  # out of scope: 404
        self.changeable(directive.inspection)
        return directive

    def render_form(self, form: DirectiveForm, directive: Directive, **extra) -> HttpResponse:
        return render(self.request, self.template_name, {"form": style(form), "directive": directive, **extra})

    def get(self, request, pk: int):
        directive = self.get_directive(pk)
        form = DirectiveForm(user=request.user, inspection=directive.inspection, directive=directive)
        return self.render_form(form, directive)

    def post(self, request, pk: int):
        directive = self.get_directive(pk)
        form = DirectiveForm(request.POST, user=request.user, inspection=directive.inspection, directive=directive)
        if not form.is_valid():
            return self.render_form(form, directive)
        try:
            directive_update(
                directive=directive,
                actor=request.user,
                version=form.cleaned_data["version"],
                **form.service_arguments(),
            )
        except InspectionStaleVersionError as error:
            current = directive_get(user=request.user, directive_id=pk)
            changes = changed_since(current, form.cleaned_data["version"], DIRECTIVE_EDITABLE)
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = DirectiveForm(data, user=request.user, inspection=current.inspection, directive=current)
            form.is_valid()
            form.add_error(None, error.messages)
            return self.render_form(form, current, stale_changes=changes)
        except ValidationError as error:
            add_service_error(form, error)
            return self.render_form(form, directive)
        messages.success(request, _("Directive saved."))
        return redirect("oversight:directive-detail", pk=pk)


urlpatterns = [
    path("inspections/", InspectionListView.as_view(), name="inspection-list"),
    path("inspections/new/", InspectionFormView.as_view(), name="inspection-create"),
    path("inspections/<int:pk>/", InspectionDetailView.as_view(), name="inspection-detail"),
    path("inspections/<int:pk>/edit/", InspectionFormView.as_view(), name="inspection-edit"),
    path("inspections/<int:pk>/documents/", DocumentUploadView.as_view(), name="document-upload"),
    path("inspections/<int:pk>/documents/<int:doc>/", DocumentDownloadView.as_view(), name="document-download"),
    path("inspections/<int:pk>/documents/<int:doc>/delete/", DocumentDeleteView.as_view(), name="document-delete"),
    path("inspections/<int:pk>/directives/", DirectiveCreateView.as_view(), name="directive-create"),
    path("directives/", DirectiveListView.as_view(), name="directive-list"),
    path("directives/<int:pk>/", DirectiveDetailView.as_view(), name="directive-detail"),
    path("directives/<int:pk>/edit/", DirectiveEditView.as_view(), name="directive-edit"),
    path("directives/<int:pk>/progress/", DirectiveProgressView.as_view(), name="directive-progress"),
    path(
        "directives/<int:pk>/updates/<int:update_pk>/evidence/",
        EvidenceDownloadView.as_view(),
        name="evidence-download",
    ),
]

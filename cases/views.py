"""Case pages: the filtered list and its exports, the case file, the record/edit forms and the workflow actions."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.jobs.services import job_start
from portal.stale import changed_since

from . import deadlines
from . import jobs as cases_jobs
from .filters import CaseFilter, case_list_filtered
from .forms import (
    ActionForm,
    CaseForm,
    ClearForm,
    ExtendForm,
    TransitionForm,
    add_service_error,
    filter_form_for_page,
    style_form,
)
from .models import Case, DeadlineExtension
from .permissions import (
    can_create_cases,
    can_edit_case,
    can_import_cases,
    can_see_identities,
    can_view_cases,
    mask_id_number,
    mask_name,
)
from .selectors import case_detail, case_get
from .services import (
    EDITABLE,
    StaleVersionError,
    case_clear,
    case_create,
    case_extend_deadline,
    case_transition,
    case_update,
)

PAGE_SIZE = 50
EXPORT_FORMATS = {"xlsx", "csv"}
SORTABLE = {"reference", "recorded_on", "status", "due_on"}


def grouped(number: int | None) -> str:
    """1234567 as "1.234.567" in Vietnamese, "1,234,567" in English (portal.formats sets the grouping)."""
    return "" if number is None else intcomma(number)


class CasePageMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Every case page: logged in (else the log-in page), and a role that sees cases (else 403)."""

    def test_func(self) -> bool:
        return can_view_cases(self.request.user)


def filtered_cases(request) -> tuple[CaseFilter, QuerySet[Case]]:
    return case_list_filtered(user=request.user, params=request.GET)


class CaseListView(CasePageMixin, View):
    def get(self, request):
        filterset, queryset = filtered_cases(request)
        # The officers the selector prefetches are not shown here: one query fewer a page.
        page = Paginator(queryset.prefetch_related(None), PAGE_SIZE).get_page(request.GET.get("page"))
        form = filter_form_for_page(filterset.form)
        ordering = request.GET.get("ordering", "")
        return render(
            request,
            "cases/case_list.html",
            {
                "filter_form": form,
                "page_obj": page,
                "total": grouped(page.paginator.count),
                "first_shown": grouped(page.start_index()),
                "last_shown": grouped(page.end_index()),
                "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
                "cases": page.object_list,
                "ordering": ordering,
                "sort_links": sort_links(ordering),
                "is_filtered": any(v for k, v in request.GET.items() if k not in {"page", "ordering"}),
                "can_create": can_create_cases(request.user),
                "can_import": can_import_cases(request.user),
            },
        )


def sort_links(ordering: str) -> dict[str, dict]:
    """For each sortable column: the ordering its header link asks for, and how the list is sorted by it now."""
    links = {}
    for field in SORTABLE:
        if ordering == field:
            links[field] = {"next": f"-{field}", "state": "asc"}
        elif ordering == f"-{field}":
            links[field] = {"next": field, "state": "desc"}
        else:
            # Dates read newest first by default; codes and statuses from the top.
            first = f"-{field}" if field == "recorded_on" else field
            links[field] = {"next": first, "state": ""}
    if not ordering:
        links["recorded_on"] = {"next": "recorded_on", "state": "desc"}
    return links


class CaseExportView(CasePageMixin, View):
    """The list page's filtered list, as a file built in the background: POST format=xlsx|csv with the list's
    filters in the query string starts the job and goes to its progress page; GET (an old link) asks first."""

    def get(self, request):
        kind = request.GET.get("format")
        if kind not in EXPORT_FORMATS:
            return HttpResponseBadRequest(_("Choose an export format: xlsx or csv."))
        return render(
            request,
            "jobs/confirm.html",
            {
                "title": cases_jobs.export_label({"format": kind}),
                "action": request.get_full_path(),
                "fields": {"format": kind},
                "button": _("Prepare the file"),
                "back": reverse("cases:list") + "?" + export_query(request.GET),
            },
        )

    def post(self, request):
        kind = request.POST.get("format") or request.GET.get("format")
        if kind not in EXPORT_FORMATS:
            return HttpResponseBadRequest(_("Choose an export format: xlsx or csv."))
        job = job_start(
            kind=cases_jobs.EXPORT, owner=request.user, params={"format": kind, "query": export_query(request.GET)}
        )
        return redirect(job.get_absolute_url())


def export_query(params) -> str:
    """The list's filters and sorting, without the page number and the format."""
    query = params.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    return query.urlencode()


def party_rows(user, case: Case) -> list[dict]:
    """Parties as the page shows them: identities in full only to those who may see them."""
    full = can_see_identities(user, case)
    rows = []
    for party in case.parties.all():
        rows.append(
            {
                "role": party.get_role_display(),
                "name": party.full_name if full else mask_name(party.full_name),
                "birth_year": party.birth_year,
                "gender": party.get_gender_display(),
                "id_number": party.id_number if full else mask_id_number(party.id_number),
                "residence": party.residence if full else None,
                "custody": party.get_custody_display(),
            }
        )
    return rows


def extension_limit(case: Case) -> date | None:
    """The latest date the running deadline may be extended to, or None when no extension is possible."""
    if case.due_on is None:
        return None
    if case.status in {Case.Status.RECEIVED, Case.Status.VERIFYING}:
        return deadlines.verification_limit(case.received_on)
    if case.status == Case.Status.INVESTIGATING:
        granted = sum(1 for e in case.extensions.all() if e.kind == DeadlineExtension.Kind.INVESTIGATION)
        return deadlines.investigation_extension_limit(case.due_on, case.severity, granted)
    return None


def action_forms(case: Case) -> dict:
    """The unbound forms of the moves and steps open to the case now, each carrying the version shown."""
    version = {"version": case.version}
    moves = [
        {
            "to": to,
            "label": Case.Status(to).label,
            "form": style_form(TransitionForm(initial={**version, "to": to}, auto_id=f"move-{to}-%s")),
        }
        for to in case.allowed_moves()
    ]
    clear = None
    if case.status in Case.CLEARABLE and not case.is_cleared:
        clear = style_form(ClearForm(initial=version, auto_id="clear-%s"))
    extend = None
    limit = extension_limit(case)
    if limit is not None and limit > case.due_on:
        extend = style_form(ExtendForm(initial=version, auto_id="extend-%s"))
    return {"moves": moves, "clear_form": clear, "extend_form": extend, "extension_limit": limit}


class CaseDetailView(CasePageMixin, View):
    def get(self, request, pk: int):
        case = case_detail(user=request.user, case_id=pk)
        can_edit = can_edit_case(request.user, case)
        context = {
            "case": case,
            "deadline_status": case.deadline_status,  # annotated by the selector, in SQL
            "parties": party_rows(request.user, case),
            "identities_shown": can_see_identities(request.user, case),
            "can_edit": can_edit,
        }
        if can_edit:
            context.update(action_forms(case))
        return render(request, "cases/case_detail.html", context)


class CaseFormView(CasePageMixin, View):
    """Record a new case (no pk) or edit one; both call the services, which have the last word."""

    template_name = "cases/case_form.html"

    def get_case(self, pk: int | None) -> Case | None:
        if pk is None:
            if not can_create_cases(self.request.user):
                raise PermissionDenied
            return None
        case = case_get(user=self.request.user, case_id=pk)  # out of scope: 404
        if not can_edit_case(self.request.user, case):
            raise PermissionDenied
        return case

    def render_form(self, form: CaseForm, case: Case | None, **extra) -> HttpResponse:
        context = {"form": style_form(form), "case": case, **extra}
        return render(self.request, self.template_name, context)

    def get(self, request, pk: int | None = None):
        case = self.get_case(pk)
        return self.render_form(CaseForm(user=request.user, case=case), case)

    def post(self, request, pk: int | None = None):
        case = self.get_case(pk)
        form = CaseForm(request.POST, user=request.user, case=case)
        if not form.is_valid():
            return self.render_form(form, case)
        try:
            if case is None:
                case = case_create(actor=request.user, **form.service_arguments())
                messages.success(request, _("Case %(ref)s recorded.") % {"ref": case.reference})
            else:
                case = case_update(
                    case=case, actor=request.user, version=form.cleaned_data["version"], **form.service_arguments()
                )
                messages.success(request, _("Case %(ref)s saved.") % {"ref": case.reference})
        except StaleVersionError as error:
            return self.stale_edit(form, case, error)
        except ValidationError as error:  # CaseError, or the model's own validation
            add_service_error(form, error)
            return self.render_form(form, case)
        return redirect("cases:detail", pk=case.pk)

    def stale_edit(self, form: CaseForm, case: Case, error: StaleVersionError) -> HttpResponse:
        """Nothing was saved: show what the other person changed, keep the user's input, and let them decide."""
        current = case_get(user=self.request.user, case_id=case.pk)
        changed = changed_since(current, form.cleaned_data["version"], EDITABLE)
        data = self.request.POST.copy()
        data["version"] = str(current.version)  # saving again is now a deliberate choice over the shown changes
        form = CaseForm(data, user=self.request.user, case=current)
        form.is_valid()
        form.add_error(None, error.messages)
        return self.render_form(form, current, stale_changes=changed)


class CaseActionView(CasePageMixin, View):
    """One workflow step on a case: GET shows its confirmation form (the page without JavaScript), POST does it."""

    form_class: type[ActionForm]
    title = ""

    def get_case(self, pk: int) -> Case:
        case = case_get(user=self.request.user, case_id=pk)  # out of scope: 404
        if not can_edit_case(self.request.user, case):
            raise PermissionDenied
        return case

    def perform(self, case: Case, data: dict) -> str:
        """Call the service; answer the success message."""
        raise NotImplementedError

    def render_form(self, case: Case, form: ActionForm) -> HttpResponse:
        context = {
            "case": case,
            "form": style_form(form),
            "title": self.get_title(form),
            "action_url": self.request.path,
            "extension_limit": extension_limit(case),
        }
        return render(self.request, "cases/case_action.html", context)

    def get_title(self, form: ActionForm) -> str:
        return str(self.title)

    def get(self, request, pk: int):
        case = self.get_case(pk)
        initial = {"version": case.version}
        initial.update({k: v for k, v in request.GET.items() if k in self.form_class.base_fields})
        return self.render_form(case, self.form_class(initial=initial))

    def post(self, request, pk: int):
        case = self.get_case(pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render_form(case, form)
        try:
            message = self.perform(case, form.cleaned_data)
        except StaleVersionError as error:
            # Keep what the user typed; the page shows the case as it is now, and confirming again is their call.
            case = case_get(user=request.user, case_id=pk)
            data = request.POST.copy()
            data["version"] = str(case.version)
            form = self.form_class(data)
            form.is_valid()
            form.add_error(None, error.messages)
            return self.render_form(case, form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.render_form(case, form)
        messages.success(request, message)
        return redirect("cases:detail", pk=pk)


class CaseTransitionView(CaseActionView):
    form_class = TransitionForm

    def get_title(self, form: ActionForm) -> str:
        to = form.data.get("to") if form.is_bound else form.initial.get("to")
        if to in Case.Status.values:
            return _("Move the case to “%(to)s”") % {"to": Case.Status(to).label}
        return _("Move the case")

    def perform(self, case: Case, data: dict) -> str:
        case = case_transition(
            case=case, to=data["to"], on=data["on"], note=data["note"], version=data["version"], actor=self.request.user
        )
        return _("The case is now “%(status)s”.") % {"status": case.get_status_display()}


class CaseClearView(CaseActionView):
    form_class = ClearForm
    title = gettext_lazy("Mark the case cleared")

    def perform(self, case: Case, data: dict) -> str:
        case = case_clear(case=case, on=data["on"], note=data["note"], version=data["version"], actor=self.request.user)
        return _("The case is marked cleared on %(d)s.") % {"d": date_format(case.cleared_on, "d/m/Y")}


class CaseExtendView(CaseActionView):
    form_class = ExtendForm
    title = gettext_lazy("Extend the deadline")

    def perform(self, case: Case, data: dict) -> str:
        extension = case_extend_deadline(
            case=case,
            new_due_on=data["new_due_on"],
            granted_on=data["granted_on"],
            reason=data["reason"],
            version=data["version"],
            actor=self.request.user,
        )
        return _("The deadline is extended to %(d)s.") % {"d": date_format(extension.new_due_on, "d/m/Y")}

"""Pages of the propaganda area: programs (list with totals, detail with planned vs achieved, record and edit),
the quick-entry table of activities, and the activity import with its template."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from cases.forms import add_service_error

from ..filters import PropagandaProgramFilter
from ..forms.propaganda import (
    ENTRY_MAX_ROWS,
    ENTRY_ROWS,
    ActivityImportForm,
    ProgramForm,
    activity_formset_class,
    dress_filter_form,
    style_program_form,
)
from ..models import PropagandaActivity, PropagandaProgram, Topic
from ..permissions import can_edit_propaganda, can_view_propaganda
from ..propaganda_import import (
    COLUMNS,
    XLSX_TYPE,
    AreaUnits,
    import_activities,
    template_filename,
    template_workbook,
)
from ..selectors import activity_list, program_detail, program_get, program_list
from ..services import (
    RowsRefused,
    StaleVersionError,
    activities_bulk_create,
    activities_check,
    program_create,
    program_update,
)
from ..services.propaganda import BULK_MAX_ROWS

PAGE_SIZE = 50
ACTIVITIES_PAGE_SIZE = 100
ENTRY_PREFIX = "rows"


class PropagandaPageMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Every propaganda page: logged in (else the log-in page), and a role that reads propaganda (else 403)."""

    def test_func(self) -> bool:
        return can_view_propaganda(self.request.user)


class PropagandaEditMixin(PropagandaPageMixin):
    """The pages that write: a role that records propaganda (else 403)."""

    def test_func(self) -> bool:
        return can_edit_propaganda(self.request.user)


def percent(achieved: int, planned: int | None) -> float | None:
    return None if not planned else achieved * 100 / planned


# --- Programs ------------------------------------------------------------------------------------


class ProgramListView(PropagandaPageMixin, View):
    def get(self, request):
        filterset = PropagandaProgramFilter(request.GET, queryset=program_list(user=request.user), request=request)
        programs = filterset.qs
        # The listed programs' achievements in one statement (their activities are all in the user's scope).
        totals = PropagandaActivity.objects.filter(program__in=programs.values("pk")).aggregate(
            activities=Count("id"), audience=Sum("audience"), materials=Sum("materials")
        )
        page = Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page"))
        topic_labels = dict(Topic.choices)
        rows = [
            {
                "program": p,
                "topics": [topic_labels[t] for t in p.topics if t in topic_labels],
                "reach_percent": percent(p.audience_reached, p.planned_reach),
            }
            for p in page.object_list
        ]
        return render(
            request,
            "campaigns/propaganda_program_list.html",
            {
                "filter_form": dress_filter_form(filterset.form),
                "page_obj": page,
                "rows": rows,
                "totals": {k: v or 0 for k, v in totals.items()},
                "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
                "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
                "can_edit": can_edit_propaganda(request.user),
            },
        )


class ProgramDetailView(PropagandaPageMixin, View):
    def get(self, request, pk: int):
        program = program_detail(user=request.user, program_id=pk)
        activities = Paginator(activity_list(user=request.user, program=program), ACTIVITIES_PAGE_SIZE)
        page = activities.get_page(request.GET.get("page"))
        topic_labels = dict(Topic.choices)
        context = {
            "program": program,
            "topics": [topic_labels[t] for t in program.topics if t in topic_labels],
            "activities_percent": percent(program.activity_count, program.planned_activities),
            "reach_percent": percent(program.audience_reached, program.planned_reach),
            "breakdowns": [
                (_("By format"), program.by_format, "by-format"),
                (_("By topic"), program.by_topic, "by-topic"),
            ],
            "page_obj": page,
            "activities": page.object_list,
            "page_range": activities.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "can_edit": can_edit_propaganda(request.user),
        }
        return render(request, "campaigns/propaganda_program_detail.html", context)


class ProgramFormView(PropagandaEditMixin, View):
    """Record a program (no pk) or edit one; both call the services, which have the last word."""

    template_name = "campaigns/propaganda_program_form.html"

    def get_program(self, pk: int | None) -> PropagandaProgram | None:
        return None if pk is None else program_get(user=self.request.user, program_id=pk)  # out of scope: 404

    def render_form(self, form: ProgramForm, program: PropagandaProgram | None, status: int = 200) -> HttpResponse:
        context = {"form": style_program_form(form), "program": program}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk: int | None = None):
        program = self.get_program(pk)
        return self.render_form(ProgramForm(user=request.user, program=program), program)

    def post(self, request, pk: int | None = None):
        program = self.get_program(pk)
        form = ProgramForm(request.POST, user=request.user, program=program)
        if not form.is_valid():
            return self.render_form(form, program, status=400)
        try:
            if program is None:
                program = program_create(actor=request.user, **form.service_arguments())
                messages.success(request, _("Program “%(title)s” recorded.") % {"title": program.title})
            else:
                version = form.cleaned_data["version"]
                program = program_update(
                    program=program, actor=request.user, version=version, **form.service_arguments()
                )
                messages.success(request, _("Program “%(title)s” saved.") % {"title": program.title})
        except StaleVersionError as error:
            # Nothing was saved: keep the input, show the saved version's number so saving again is deliberate.
            current = self.get_program(program.pk)
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = ProgramForm(data, user=request.user, program=current)
            form.is_valid()
            form.add_error(None, error.messages)
            return self.render_form(form, current, status=409)
        except ValidationError as error:
            add_service_error(form, error)
            return self.render_form(form, program, status=400)
        return redirect("campaigns:program-detail", pk=program.pk)


# --- Activities ----------------------------------------------------------------------------------


def _posted_codes(data, prefix: str) -> list[str]:
    return [v for k, v in data.items() if k.startswith(f"{prefix}-") and k.endswith("-unit")]


class ActivityEntryView(PropagandaEditMixin, View):
    """The quick-entry table: many activities of one program typed at once, recorded all together or not at all."""

    template_name = "campaigns/propaganda_activity_entry.html"

    def render_table(self, program, formset, status: int = 200, refused=(), table_errors=()):
        context = {
            "program": program,
            "formset": formset,
            "refused_rows": list(refused),
            "table_errors": list(table_errors),
            "max_rows": ENTRY_MAX_ROWS,
            "can_add_rows": formset.total_form_count() < ENTRY_MAX_ROWS,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk: int):
        program = program_get(user=request.user, program_id=pk)
        formset = activity_formset_class(ENTRY_ROWS)(prefix=ENTRY_PREFIX, form_kwargs={"program": program})
        return self.render_table(program, formset)

    def post(self, request, pk: int):
        program = program_get(user=request.user, program_id=pk)
        if "add_rows" in request.POST:
            return self.add_rows(program)
        units = AreaUnits(program, _posted_codes(request.POST, ENTRY_PREFIX))  # one query for every row's code
        form_kwargs = {"program": program, "units": units}
        formset = activity_formset_class(0)(request.POST, prefix=ENTRY_PREFIX, form_kwargs=form_kwargs)
        valid = formset.is_valid()
        filled = formset.filled()
        if valid and not filled:
            return self.render_table(program, formset, status=400, table_errors=[_("Fill in at least one row.")])
        if not valid:
            # The rows that could be read are judged by the service's rules too, so one pass shows every error.
            readable = [(n, form) for n, form in filled if not form.errors]
            refused = activities_check(
                actor=request.user,
                program=program,
                rows=[form.service_data() for _n, form in readable],
                row_numbers=[n for n, _form in readable],
            )
            self.mark_refused(formset, refused)
            bad = [i for i, form in enumerate(formset.forms, start=1) if form.errors]
            return self.render_table(program, formset, status=400, refused=bad)
        try:
            created = activities_bulk_create(
                actor=request.user,
                program=program,
                rows=[form.service_data() for _n, form in filled],
                row_numbers=[n for n, _form in filled],
            )
        except RowsRefused as refusal:
            self.mark_refused(formset, refusal.rows)
            return self.render_table(program, formset, status=400, refused=list(refusal.rows))
        except ValidationError as error:
            return self.render_table(program, formset, status=400, table_errors=error.messages)
        messages.success(
            request,
            ngettext("%(n)d activity recorded.", "%(n)d activities recorded.", len(created)) % {"n": len(created)},
        )
        return redirect("campaigns:program-detail", pk=program.pk)

    @staticmethod
    def mark_refused(formset, refused: dict[int, dict[str, list[str]]]) -> None:
        """Put each refusal of the service on the row and field it names."""
        for number, fields in refused.items():
            form = formset.forms[number - 1]
            for name, errors in fields.items():
                visible = name in form.fields and name != NON_FIELD_ERRORS
                form.add_error(name if visible else None, errors)
                if visible:
                    form.fields[name].widget.attrs["class"] += " is-invalid"

    def add_rows(self, program):
        """The table again with the rows typed so far and more blank rows; nothing is checked or saved yet."""
        posted = activity_formset_class(0)(self.request.POST, prefix=ENTRY_PREFIX, form_kwargs={"program": program})
        typed = [{name: form[name].data for name in form.fields} for form in posted.forms if form.has_changed()]
        rows = min(max(posted.total_form_count(), len(typed)) + ENTRY_ROWS, ENTRY_MAX_ROWS)
        formset = activity_formset_class(rows)(
            prefix=ENTRY_PREFIX, form_kwargs={"program": program}, initial=typed[:rows]
        )
        return self.render_table(program, formset)


class ActivityImportView(PropagandaEditMixin, View):
    """Upload an XLSX/CSV file of a program's activities: all rows are recorded, or none and every error is listed."""

    template_name = "campaigns/propaganda_activity_import.html"

    def render_page(self, program, form, result=None, status: int = 200):
        context = {"program": program, "form": form, "result": result, "columns": COLUMNS, "max_rows": BULK_MAX_ROWS}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk: int):
        program = program_get(user=request.user, program_id=pk)
        return self.render_page(program, ActivityImportForm())

    def post(self, request, pk: int):
        program = program_get(user=request.user, program_id=pk)
        form = ActivityImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(program, form, status=400)
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            stored = Path(folder) / ("upload" + Path(upload.name).suffix.lower())
            with open(stored, "wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            result = import_activities(program=program, actor=request.user, path=stored, filename=upload.name)
        if result.ok:
            messages.success(request, result.summary())
            return redirect("campaigns:program-detail", pk=program.pk)
        return self.render_page(program, ActivityImportForm(), result, status=400)


class ActivityTemplateView(PropagandaEditMixin, View):
    """The XLSX template of the program's activity file."""

    def get(self, request, pk: int):
        program = program_get(user=request.user, program_id=pk)
        response = HttpResponse(template_workbook(program), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{template_filename(program)}"'
        return response


urlpatterns = [
    path("propaganda/", ProgramListView.as_view(), name="program-list"),
    path("propaganda/new/", ProgramFormView.as_view(), name="program-create"),
    path("propaganda/<int:pk>/", ProgramDetailView.as_view(), name="program-detail"),
    path("propaganda/<int:pk>/edit/", ProgramFormView.as_view(), name="program-edit"),
    path("propaganda/<int:pk>/activities/new/", ActivityEntryView.as_view(), name="activity-entry"),
    path("propaganda/<int:pk>/activities/import/", ActivityImportView.as_view(), name="activity-import"),
    path("propaganda/<int:pk>/activities/template/", ActivityTemplateView.as_view(), name="activity-template"),
]

"""The case import page: upload a CSV/XLSX file, see the bad rows or the count imported, follow large imports."""

import csv
from pathlib import Path

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from kombu.exceptions import OperationalError as BrokerError

from .importing import (
    COLUMNS,
    ERRORS_SHOWN,
    FINISHED,
    SYNC_MAX_ROWS,
    can_import_cases,
    job_create,
    job_get,
    job_is_large,
    job_references_path,
    job_run,
)

MAX_UPLOAD_BYTES = 64 * 1024 * 1024


class CaseImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx", "class": "form-control"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only: validate every row and write nothing"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in {".csv", ".xlsx"}:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; split it, or ask an administrator to run import_cases.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class ImportAccessMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Logged in (else the log-in page) as an administrator or standing office officer (else 403)."""

    def test_func(self) -> bool:
        return can_import_cases(self.request.user)


def _own_job(request, job_id: str) -> dict:
    # Another user's job answers 404, like a missing one: its existence never leaks.
    job = job_get(job_id)
    if job is None or job["user_id"] != request.user.pk:
        raise Http404
    return job


def _status(job: dict) -> dict:
    return {
        "state": job["state"],
        "stage": job.get("stage", ""),
        "done": job.get("done", 0),
        "total": job.get("total", 0),
        "message": job.get("message", ""),
    }


class CaseImportView(ImportAccessMixin, View):
    template_name = "cases/import.html"

    def get(self, request):
        job = None
        if job_id := request.GET.get("job"):
            job = _own_job(request, job_id)
            if request.GET.get("download") == "errors" and job["state"] == FINISHED:
                return self._errors_csv(job)
            if request.GET.get("download") == "references" and job["state"] == FINISHED:
                return self._references_csv(job)
        return self._render(request, CaseImportForm(), job)

    def post(self, request):
        form = CaseImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, None, status=400)
        job = job_create(
            user=request.user,
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            language=get_language(),
        )
        if job_is_large(job):
            from .tasks import import_cases_task

            try:
                import_cases_task.delay_on_commit(job["id"])
            except BrokerError:
                form.add_error(None, _("The background worker queue cannot be reached; try again later."))
                return self._render(request, form, None, status=503)
        else:
            job_run(job_id=job["id"])
        return redirect(f"{reverse('cases:import')}?job={job['id']}")

    def _render(self, request, form, job: dict | None, status: int = 200):
        errors = (job or {}).get("errors") or []
        context = {
            "form": form,
            "job": job,
            "errors": errors[:ERRORS_SHOWN],
            "errors_hidden": max(len(errors) - ERRORS_SHOWN, 0),
            "columns": COLUMNS,
            "sync_max_rows": SYNC_MAX_ROWS,
            "status_url": reverse("cases:import-status", args=[job["id"]]) if job else "",
        }
        return render(request, self.template_name, context, status=status)

    def _errors_csv(self, job: dict) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{Path(job["filename"]).stem}-errors.csv"'
        response.write("\ufeff")  # so Excel reads the UTF-8
        writer = csv.writer(response)
        writer.writerow([_("Row"), _("Column"), _("Value"), _("Reason")])
        writer.writerows(job.get("errors") or [])
        return response

    def _references_csv(self, job: dict) -> HttpResponse:
        path = job_references_path(job["id"])
        if not path.is_file():
            raise Http404
        response = HttpResponse(path.read_bytes(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{Path(job["filename"]).stem}-references.csv"'
        return response


class CaseImportStatusView(ImportAccessMixin, View):
    """The small JSON the import page polls while a large import runs."""

    def get(self, request, job_id: str):
        return JsonResponse(_status(_own_job(request, job_id)))

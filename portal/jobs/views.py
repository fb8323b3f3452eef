"""Job pages: the owner's recent jobs, one job's progress (and the JSON it polls), its file."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from portal.audit.services import audit_record

from .registry import kind_get
from .selectors import RECENT, job_get, job_list


def job_status(job) -> dict:
    """What the progress page's script reads."""
    return {
        "status": job.status,
        "done": job.progress_done,
        "total": job.progress_total,
        "percent": job.percent,
        "message": job.message,
        "error": job.error,
        "download_url": reverse("jobs:download", args=[job.pk]) if job.has_file else "",
    }


class JobListView(LoginRequiredMixin, View):
    def get(self, request):
        jobs = list(job_list(user=request.user)[:RECENT])
        context = {"jobs": jobs, "retention_days": settings.JOBS_RETENTION_DAYS}
        return render(request, "jobs/job_list.html", context)


@method_decorator(never_cache, name="dispatch")
class JobDetailView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        job = job_get(user=request.user, job_id=pk)
        return render(
            request,
            "jobs/job_detail.html",
            {"job": job, "status_url": reverse("jobs:status", args=[job.pk]), "refresh_seconds": 3},
        )


@method_decorator(never_cache, name="dispatch")
class JobStatusView(LoginRequiredMixin, View):
    """The small JSON the progress page polls: one query."""

    def get(self, request, pk: int):
        return JsonResponse(job_status(job_get(user=request.user, job_id=pk)))


class JobDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        job = job_get(user=request.user, job_id=pk)
        if not job.has_file:
            raise Http404
        kind = kind_get(job.kind)
        if kind is not None and kind.audit is not None:
            audit_record(request=request, **kind.audit(job))
        else:
            audit_record(action="download", request=request, obj=job, object_repr=job.result_name)
        try:
            handle = job.result.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(handle, as_attachment=True, filename=job.result_name, content_type=job.result_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

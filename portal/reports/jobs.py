"""Background work of the statistics app: the report document as PDF or XLSX, built as its owner sees it."""

from django.http import Http404
from django.utils.translation import gettext as _

from portal.jobs.models import Job
from portal.jobs.registry import register
from portal.jobs.services import JobError, Progress, Result
from portal.units.models import Unit

from .document import pdf_from_html, report_filename, report_html, report_xlsx
from .periods import Period, PeriodError, parse_period
from .selectors import stats_unit_get

REPORT = "reports.document"
TYPES = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def report_params(*, unit: Unit, period: Period, fmt: str) -> dict:
    return {
        "unit_id": unit.pk,
        "unit_code": unit.code,
        "edition": unit.edition,
        "unit_name": unit.name,
        "period": period.spec,
        "period_label": period.label,
        "format": fmt,
    }


def report_label(params: dict) -> str:
    if params.get("format") == "xlsx":
        text = _("Report figures of %(unit)s, %(period)s (XLSX)")
    else:
        text = _("Report of %(unit)s, %(period)s (PDF)")
    return text % {"unit": params.get("unit_name", ""), "period": params.get("period_label", "")}


def report_run(job: Job, progress: Progress) -> Result:
    """Built as the owner sees it now: a unit that left their scope since they asked gives nothing."""
    params, owner = job.parameters, job.owner
    try:
        unit = stats_unit_get(user=owner, code=params["unit_code"], edition=params["edition"])
        period = parse_period(params["period"])
    except Http404:
        raise JobError(_("This unit is no longer in your scope, so its report was not built.")) from None
    except PeriodError as exc:
        raise JobError(str(exc)) from None
    fmt = params["format"]
    args = {"user": owner, "unit": unit, "period": period, "language": job.language}
    if fmt == "pdf":
        progress(0, 2)
        html = report_html(**args, for_pdf=True)
        progress(1)
        content = pdf_from_html(html)
    else:
        progress(0, 1)
        content = report_xlsx(**args)
    progress(progress.job.progress_total)
    return Result(filename=report_filename(unit=unit, period=period, ext=fmt), content_type=TYPES[fmt], content=content)


def report_audit(job: Job) -> dict:
    # The same trail as when the file was sent from the report page.
    params = job.parameters
    unit = Unit.objects.filter(pk=params["unit_id"]).first()
    return {"action": "download", "obj": unit, "detail": f"report {params['period']} {params['format']}"}


register(REPORT, label=report_label, run=report_run, audit=report_audit)

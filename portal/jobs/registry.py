"""The kinds of background work: each app registers a worker and a label for its own kinds."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from .models import Job
    from .services import Progress, Result


@dataclass(frozen=True)
class JobKind:
    name: str
    label: Callable[[dict], str | Promise]  # the job's title from its parameters, in the active language
    run: "Callable[[Job, Progress], Result] | None"  # runs as the owner; raises JobError with a message for them
    audit: "Callable[[Job], dict] | None" = None  # audit_record() arguments for a download of the result


_KINDS: dict[str, JobKind] = {}


def register(
    name: str,
    *,
    label: Callable[[dict], Any],
    run: Callable[..., Any] | None = None,
    audit: Callable[..., dict] | None = None,
) -> None:
    """`run` None: work that runs elsewhere and is only recorded here (job_record_finished)."""
    _KINDS[name] = JobKind(name=name, label=label, run=run, audit=audit)


def kind_get(name: str) -> JobKind | None:
    return _KINDS.get(name)


def kind_label(name: str, parameters: dict) -> str:
    kind = _KINDS.get(name)
    return str(kind.label(parameters)) if kind is not None else name

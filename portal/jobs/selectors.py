"""Reads of background jobs: a user sees their own jobs only."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.accounts.models import User

from .models import Job

RECENT = 50


def job_list(*, user: User) -> QuerySet[Job]:
    return Job.objects.owned_by(user).order_by("-created_at", "-id")


def job_get(*, user: User, job_id: int) -> Job:
    # Another user's job and a missing one answer the same 404.
    return get_object_or_404(job_list(user=user), pk=job_id)

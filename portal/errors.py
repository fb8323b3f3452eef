"""Errors every app's services share, so every door (pages, API, admin) answers them alike."""

from django.core.exceptions import ValidationError


class StaleVersionError(ValidationError):
    """The record changed since the user read it (optimistic locking): nothing was written."""

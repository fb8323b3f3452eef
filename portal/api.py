"""Shared REST API pieces: pagination and JSON errors a person can act on."""

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """DRF's handler, with 404 and 403 worded for the user in their language."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.NotFound | Http404):
        # Same words for "missing" and "outside your scope": existence never leaks.
        response.data = {"detail": _("Not found, or outside your unit's scope.")}
    elif isinstance(exc, exceptions.NotAuthenticated):
        response.data = {"detail": _("Please log in first.")}
    elif isinstance(exc, exceptions.PermissionDenied) and response.data.get("detail") == (
        exceptions.PermissionDenied.default_detail
    ):
        response.data = {"detail": _("Your role does not allow this action.")}
    return response

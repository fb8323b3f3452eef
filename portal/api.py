"""Shared REST API pieces: pagination, JSON errors a person can act on, fields and schema parts the apps share."""

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.accounts.models import User
from portal.api_defaults import PageNotFound
from portal.dates import validate_plausible_date
from portal.errors import StaleVersionError
from portal.units.models import Unit

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    """DRF's handler, with 404 and 403 worded for the user in their language."""
    response = drf_exception_handler(exc, context)
    if response is None:
        if isinstance(exc, OperationalError | InterfaceError):
            # The database went away mid-request (restart, network, failover): each service's transaction
            # was rolled back, so the client may safely send the same request again.
            logger.exception("Database error during an API request", exc_info=exc)
            return Response(
                {"detail": _("The database did not answer. Nothing was saved; try again in a minute.")},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "30"},
            )
        return None
    if isinstance(exc, PageNotFound):
        pass  # its own words: the list is there, the page is not
    elif isinstance(exc, exceptions.NotFound | Http404):
        # Same words for "missing" and "outside your scope": existence never leaks.
        response.data = {"detail": _("Not found, or outside your unit's scope.")}
    elif isinstance(exc, exceptions.NotAuthenticated):
        response.data = {"detail": _("Please log in first.")}
    elif isinstance(exc, exceptions.AuthenticationFailed):
        # DRF's own words ("Invalid token.") have no Vietnamese; a revoked token lands here too.
        response.data = {
            "detail": _(
                "This token is not valid or has been revoked: ask for a new one at auth/token/ or log in again."
            )
        }
    elif isinstance(exc, exceptions.Throttled):
        response.data = {
            "detail": _("Too many requests. Try again in %(seconds)d seconds.") % {"seconds": math.ceil(exc.wait or 1)}
        }
    elif isinstance(exc, exceptions.PermissionDenied) and response.data.get("detail") == (
        exceptions.PermissionDenied.default_detail
    ):
        response.data = {"detail": _("Your role does not allow this action.")}
    return response


# --- Shared by the apps' APIs ---------------------------------------------------------------------


class DateField(serializers.DateField):
    """A date between 1950 and twenty years from today (portal.dates); every date of the API is one."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_plausible_date)


# The date fields ModelSerializers make for model DateFields get the same range.
serializers.ModelSerializer.serializer_field_mapping[models.DateField] = DateField


class OfficerSerializer(serializers.ModelSerializer):
    """A user as other records show them: id, username, full name."""

    class Meta:
        model = User
        fields = ["id", "username", "full_name"]


def column_bounds(model, name: str) -> dict[str, int]:
    """min_value and max_value of the integer column a model field is stored in, as PostgreSQL holds it: a number
    past it is a 400 on every database, not PostgreSQL's "integer out of range" (500) after SQLite took it."""
    low, high = BaseDatabaseOperations.integer_field_ranges[model._meta.get_field(name).get_internal_type()]
    return {"min_value": low, "max_value": high}


class SlugRelatedField(serializers.SlugRelatedField):
    """DRF's, but a value holding NUL is "not found" on PostgreSQL too: no row has one, and PostgreSQL refuses to
    compare such text (a 500 where SQLite simply finds nothing)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.INT)
class UnitInScopeField(serializers.PrimaryKeyRelatedField):
    """A unit id, current or legacy, among the units whose records count under the user's unit."""

    default_error_messages = {"does_not_exist": gettext_lazy("Unit not found, or outside your unit's scope.")}

    def get_queryset(self):
        unit = self.context["request"].user.unit
        return Unit.objects.none() if unit is None else Unit.objects.rolling_up_to(unit)


DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})
REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=gettext_lazy("Refused: each field (or `detail`) with messages in the user's language."),
)
FORBIDDEN = OpenApiResponse(DETAIL, description=gettext_lazy("Your role (or your unit) does not allow this."))
NOT_FOUND = OpenApiResponse(DETAIL, description=gettext_lazy("Not found, or outside your unit's scope."))
STALE = OpenApiResponse(DETAIL, description=gettext_lazy("Someone changed the record since you read that version."))
WRITE_ERRORS = {400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND, 409: STALE}
READ_ERRORS = {403: FORBIDDEN, 404: NOT_FOUND}
# Answers of the machinery every view shares (AutoSchema adds them), unless the view documents its own.
BAD_FILTER = OpenApiResponse(
    OpenApiTypes.OBJECT, description=gettext_lazy("A filter value that cannot be read: messages by filter.")
)
NO_SUCH_PAGE = OpenApiResponse(DETAIL, description=gettext_lazy("The list has no such page."))
NOT_SIGNED_IN = OpenApiResponse(
    DETAIL, description=gettext_lazy("Not signed in, or the token is not valid or has been revoked.")
)
HELD_AT_SECOND_STEP = OpenApiResponse(
    DETAIL, description=gettext_lazy("A browser session that has not passed the two-step verification yet.")
)
THROTTLED = OpenApiResponse(DETAIL, description=gettext_lazy("Too many requests: try again after Retry-After seconds."))


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's, plus the errors the shared machinery answers on any view it applies to: filters,
    pagination, authentication, the two-step hold (accounts.middleware) and the rate limits."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self._shared_errors().items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
        return responses

    def _shared_errors(self) -> dict[int, OpenApiResponse]:
        errors = {}
        if self.method == "GET" and self._is_list_view():
            if self._get_filter_parameters():
                errors[400] = BAD_FILTER
            if self._get_paginator() is not None:
                errors[404] = NO_SUCH_PAGE
        if "{" in self.path:
            errors[404] = NOT_FOUND  # an id no row has, or one no route takes (portal.views.page_not_found)
        if any(self.get_auth()):
            errors[401] = NOT_SIGNED_IN
        errors[403] = HELD_AT_SECOND_STEP  # every path under /api/, the token endpoint too
        if self.view.get_throttles():
            errors[429] = THROTTLED
        return errors


class ReadOnly(BasePermission):
    """Lets safe methods through; combine as `ReadOnly | requires(C.EDIT_...)`."""

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy(
        "This record was changed by someone else after you opened it. Reload it; nothing was saved."
    )
    default_code = "conflict"


@contextmanager
def refusals(**extra) -> Iterator[None]:
    """A service's refusal as the API's answer: stale version 409, anything else 400 keyed by field."""
    try:
        yield
    except StaleVersionError as exc:
        raise Conflict(exc.messages[0]) from exc
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            detail = {("detail" if k == NON_FIELD_ERRORS else k): v for k, v in exc.message_dict.items()}
        else:
            detail = {"detail": exc.messages}
        raise exceptions.ValidationError({**detail, **extra}) from exc


def named_choice_field(choices: type, component_name: str) -> type[serializers.ChoiceField]:
    """A ChoiceField whose enum is one named schema component wherever it appears; blank reads as null."""

    @extend_schema_field({"type": "string", "enum": choices.values}, component_name=component_name)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices.choices, **kwargs)

        def to_representation(self, value):
            return super().to_representation(value) or None  # e.g. an event without a status change: null

    Field.__name__ = f"{component_name}Field"
    return Field

"""Shared REST API pieces: pagination, JSON errors a person can act on, fields and schema parts the apps share."""

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError, models
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from portal.accounts.models import User
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
    if isinstance(exc, exceptions.NotFound | Http404):
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

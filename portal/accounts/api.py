"""REST API for the current user (/me/) and user management within scope."""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import DETAIL, FORBIDDEN, READ_ERRORS, REFUSED
from portal.units.api import UnitRefSerializer
from portal.units.selectors import unit_choices_for_users

from . import two_factor
from .models import User
from .permissions import requires
from .roles import CAPABILITIES, C, capabilities_of
from .selectors import user_get, user_list, user_scope
from .services import user_create, user_update
from .views import lockout_response


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        help_text=_(
            "The two-step verification code (authenticator app or backup code): required for the roles "
            "that must use it and for anyone who has set it up."
        ),
    )


class TokenCreateApi(APIView):
    """Exchange a username and password (and the two-step code, where the account has one) for an API
    token (lock-out rules as on the log-in page)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenInputSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: REFUSED,
            429: OpenApiResponse(
                DETAIL, description=_("Locked out after failed log-ins (as on the log-in page), or too many requests.")
            ),
        },
    )
    def post(self, request):
        data = TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        code = data.validated_data.pop("otp", "")
        # django-axes marks the Django request, not DRF's wrapper, so authenticate against that one.
        django_request = request._request
        user = authenticate(django_request, **data.validated_data)
        if getattr(django_request, "axes_locked_out", False):
            return lockout_response(django_request)
        if user is None:
            raise ValidationError({"detail": _("Wrong username or password.")})
        if two_factor.has_device(user):
            if not code:
                raise ValidationError({"otp": [_("This account uses two-step verification: send the code as `otp`.")]})
            try:
                two_factor.check_code(user, code)
            except DjangoValidationError as refused:
                raise ValidationError({"otp": refused.messages}) from refused
        elif two_factor.required_for(user):
            raise ValidationError(
                {
                    "otp": [
                        _(
                            "Your role requires two-step verification: log in on the portal once and set it up "
                            "(Account security), then ask for a token with the code."
                        )
                    ]
                }
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class TokenRevokeApi(APIView):
    """Revoke the caller's API token (idempotent): the next call with it answers 401.

    POST auth/token/ gives a new one."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=204)


class UserSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(allow_null=True)
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "role",
            "role_label",
            "unit",
            "is_active",
            "last_login",
        ]


class ScopeSerializer(serializers.Serializer):
    unit_path = serializers.CharField(allow_null=True, help_text=_("The path of the user's unit; null without one."))
    is_national = serializers.BooleanField(help_text=_("Whether the user's unit is the national root."))
    current_units = serializers.IntegerField(help_text=_("Current units in the scope, the user's own included."))
    legacy_units = serializers.IntegerField(help_text=_("Legacy units (before 1 July 2025) that roll up into it."))


class MeSerializer(UserSerializer):
    """The user as /me/ shows them: what their role may do and what their unit's scope covers."""

    capabilities = serializers.SerializerMethodField()
    scope = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "capabilities", "scope"]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=sorted(CAPABILITIES))))
    def get_capabilities(self, user) -> list[str]:
        return sorted(capabilities_of(user.role)) if user.unit_id else []

    @extend_schema_field(ScopeSerializer)
    def get_scope(self, user) -> dict:
        return user_scope(user=user)


class MeApi(APIView):
    """The logged-in user, their role, unit, capabilities and scope."""

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user).data)


def _raise_drf(exc: DjangoValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    raise ValidationError(detail) from exc


@extend_schema_field(OpenApiTypes.INT)
class UnitInScopeField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("Unit not found, or outside your unit's scope.")}

    def get_queryset(self):
        return unit_choices_for_users(actor=self.context["request"].user)


class UserCreateInputSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+$", max_length=150)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    unit = UnitInScopeField()
    role = serializers.ChoiceField(choices=User.Role.choices)


class UserUpdateInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    unit = UnitInScopeField(required=False)
    role = serializers.ChoiceField(choices=User.Role.choices, required=False)
    is_active = serializers.BooleanField(required=False)


@extend_schema_view(get=extend_schema(responses={200: UserSerializer(many=True), 403: FORBIDDEN}))
class UserListApi(generics.ListAPIView):
    """Users in the admin's scope (GET) and creating one (POST)."""

    permission_classes = [requires(C.MANAGE_USERS)]
    serializer_class = UserSerializer
    filterset_fields = ["role", "is_active"]

    def get_queryset(self):
        return user_list(user=self.request.user)

    @extend_schema(request=UserCreateInputSerializer, responses={201: UserSerializer, 400: REFUSED, 403: FORBIDDEN})
    def post(self, request):
        data = UserCreateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            user = user_create(actor=request.user, **data.validated_data)
        except DjangoValidationError as exc:
            _raise_drf(exc)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(responses={200: UserSerializer, **READ_ERRORS}))
class UserDetailApi(generics.RetrieveAPIView):
    """One user in scope (GET) and changing them (PATCH)."""

    permission_classes = [requires(C.MANAGE_USERS)]
    serializer_class = UserSerializer

    def get_object(self):
        return user_get(user=self.request.user, user_id=self.kwargs["pk"])

    @extend_schema(request=UserUpdateInputSerializer, responses={200: UserSerializer, 400: REFUSED, **READ_ERRORS})
    def patch(self, request, pk: int):
        target = self.get_object()
        data = UserUpdateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        try:
            user = user_update(actor=request.user, user=target, **data.validated_data)
        except DjangoValidationError as exc:
            _raise_drf(exc)
        return Response(UserSerializer(user).data)

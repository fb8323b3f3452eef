"""REST API of report subscriptions and their deliveries.

Every user with a unit reads and manages their own subscriptions; admins and leaders also those of the users
of their subtree (and may subscribe them). A subscription outside what one sees answers 404. DELETE ends a
subscription (its delivery log is kept); PATCH takes the version last read (409 when stale).
"""

import django_filters
from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from portal.accounts.permissions import requires
from portal.accounts.roles import C
from portal.api import FORBIDDEN, READ_ERRORS, REFUSED, WRITE_ERRORS, OfficerSerializer, refusals
from portal.filters import IdFilter
from portal.units.api import UnitRefSerializer

from .models import ReportDelivery, ReportSubscription
from .subscriptions import (
    delivery_list,
    recipient_get,
    subscription_create,
    subscription_deactivate,
    subscription_get,
    subscription_list,
    subscription_update,
    unit_for_recipient,
)

ACCESS = [requires(C.VIEW_DASHBOARD)]
PERIOD_KINDS = ReportSubscription._meta.get_field("period_kind").choices


class ReportSubscriptionSerializer(serializers.ModelSerializer):
    user = OfficerSerializer()
    unit = UnitRefSerializer()
    period_kind = serializers.ChoiceField(choices=PERIOD_KINDS)
    period_kind_label = serializers.CharField(source="get_period_kind_display")
    formats = serializers.ChoiceField(choices=ReportSubscription.Formats.choices)

    class Meta:
        model = ReportSubscription
        fields = [
            "id",
            "user",
            "unit",
            "period_kind",
            "period_kind_label",
            "formats",
            "language",
            "active",
            "created_at",
            "updated_at",
            "version",
        ]


class ReportSubscriptionCreateInputSerializer(serializers.Serializer):
    user = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The recipient's id: yourself by default; admins and leaders, anyone of their subtree."),
    )
    unit = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=8,
        help_text=gettext_lazy("Code of a current unit in the recipient's scope; the recipient's unit by default."),
    )
    period_kind = serializers.ChoiceField(choices=PERIOD_KINDS)
    formats = serializers.ChoiceField(choices=ReportSubscription.Formats.choices, default="both")
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default="vi")


class ReportSubscriptionUpdateInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=gettext_lazy("The version you last read."))
    unit = serializers.CharField(required=False, max_length=8, help_text=gettext_lazy("Code of a current unit."))
    period_kind = serializers.ChoiceField(choices=PERIOD_KINDS, required=False)
    formats = serializers.ChoiceField(choices=ReportSubscription.Formats.choices, required=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    active = serializers.BooleanField(required=False)


class ReportDeliverySerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ReportDelivery.Status.choices)
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = ReportDelivery
        fields = [
            "id",
            "subscription",
            "period_spec",
            "period_start",
            "period_end",
            "status",
            "status_label",
            "attempts",
            "error",
            "created_at",
            "sent_at",
        ]


class ReportDeliveryFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ReportDelivery.Status.choices)
    subscription = IdFilter(field_name="subscription_id")

    class Meta:
        model = ReportDelivery
        fields = ["status", "subscription"]


class ReportSubscriptionFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter()
    period_kind = django_filters.ChoiceFilter(choices=PERIOD_KINDS)

    class Meta:
        model = ReportSubscription
        fields = ["active", "period_kind"]


def subscription_response(request, pk: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    subscription = subscription_get(user=request.user, subscription_id=pk)
    return Response(ReportSubscriptionSerializer(subscription).data, status=status_code, **kwargs)


@extend_schema_view(get=extend_schema(responses={200: ReportSubscriptionSerializer(many=True), 403: FORBIDDEN}))
class ReportSubscriptionListApi(generics.ListAPIView):
    """Subscriptions one sees (GET); subscribing oneself or, as admin or leader, someone of one's subtree (POST)."""

    permission_classes = ACCESS
    serializer_class = ReportSubscriptionSerializer
    filterset_class = ReportSubscriptionFilter

    def get_queryset(self):
        return subscription_list(user=self.request.user)

    @extend_schema(
        request=ReportSubscriptionCreateInputSerializer,
        responses={201: ReportSubscriptionSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        data = ReportSubscriptionCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        with refusals():
            recipient = recipient_get(actor=request.user, user_id=values.pop("user", None))
            unit = unit_for_recipient(recipient=recipient, code=values.pop("unit", None))
            subscription = subscription_create(actor=request.user, user=recipient, unit=unit, **values)
        location = reverse("api:report-subscription-detail", kwargs={"pk": subscription.pk})
        return subscription_response(request, subscription.pk, status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(
    get=extend_schema(responses={200: ReportSubscriptionSerializer, **READ_ERRORS}),
    patch=extend_schema(
        request=ReportSubscriptionUpdateInputSerializer, responses={200: ReportSubscriptionSerializer, **WRITE_ERRORS}
    ),
    delete=extend_schema(
        description=gettext_lazy("End the subscription; its delivery log is kept."),
        responses={204: None, **READ_ERRORS},
    ),
)
class ReportSubscriptionDetailApi(generics.GenericAPIView):
    """One subscription one sees: read it, change it (with the version last read), end it."""

    permission_classes = ACCESS
    serializer_class = ReportSubscriptionSerializer
    filter_backends: list = []

    def get_queryset(self):
        return subscription_list(user=self.request.user)

    def get(self, request, pk: int):
        return subscription_response(request, pk)

    def patch(self, request, pk: int):
        subscription = subscription_get(user=request.user, subscription_id=pk)
        data = ReportSubscriptionUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        version = changes.pop("version")
        with refusals():
            if "unit" in changes:
                changes["unit"] = unit_for_recipient(recipient=subscription.user, code=changes["unit"])
            subscription_update(actor=request.user, subscription=subscription, version=version, **changes)
        return subscription_response(request, pk)

    def delete(self, request, pk: int):
        subscription = subscription_get(user=request.user, subscription_id=pk)
        subscription_deactivate(actor=request.user, subscription=subscription)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(get=extend_schema(responses={200: ReportDeliverySerializer(many=True), 403: FORBIDDEN}))
class ReportDeliveryListApi(generics.ListAPIView):
    """The delivery log of the subscriptions one sees, newest first; filter by status and subscription."""

    permission_classes = ACCESS
    serializer_class = ReportDeliverySerializer
    filterset_class = ReportDeliveryFilter

    def get_queryset(self):
        return delivery_list(user=self.request.user)


urlpatterns = [
    path("report-subscriptions/", ReportSubscriptionListApi.as_view(), name="report-subscription-list"),
    path("report-subscriptions/<int:pk>/", ReportSubscriptionDetailApi.as_view(), name="report-subscription-detail"),
    path("report-deliveries/", ReportDeliveryListApi.as_view(), name="report-delivery-list"),
]

"""REST API of notifications: one's own notices (all or unread), marking one or all read.

A notice is its recipient's alone: another user's notice answers 404 as a missing one does, whatever the role.
"""

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.permissions import requires
from portal.accounts.roles import C
from portal.api import FORBIDDEN, READ_ERRORS

from .models import Kind, Notice
from .selectors import notice_get, notice_list
from .services import notice_mark_read, notices_mark_all_read

ACCESS = [requires(C.VIEW_DASHBOARD)]


class NoticeSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    is_read = serializers.BooleanField()

    class Meta:
        model = Notice
        fields = ["id", "kind", "kind_label", "title", "body", "url", "created_at", "read_at", "is_read"]


class NoticeFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label=gettext_lazy("Only unread (true) or only read (false).")
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices)

    class Meta:
        model = Notice
        fields = ["unread", "kind"]


MARKED = inline_serializer("NoticesMarked", {"marked": serializers.IntegerField()})


@extend_schema_view(get=extend_schema(responses={200: NoticeSerializer(many=True), 403: FORBIDDEN}))
class NoticeListApi(generics.ListAPIView):
    """Your own notifications, newest first; `unread=true` for the unread ones only."""

    permission_classes = ACCESS
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter

    def get_queryset(self):
        return notice_list(user=self.request.user)


class NoticeReadApi(APIView):
    permission_classes = ACCESS

    @extend_schema(
        request=None,
        responses={200: NoticeSerializer, **READ_ERRORS},
        description=gettext_lazy("Mark one of your notifications read (again: unchanged)."),
    )
    def post(self, request, pk: int):
        notice = notice_mark_read(notice=notice_get(user=request.user, notice_id=pk), actor=request.user)
        return Response(NoticeSerializer(notice).data)


class NoticeReadAllApi(APIView):
    permission_classes = ACCESS

    @extend_schema(
        request=None,
        responses={200: MARKED, 403: FORBIDDEN},
        description=gettext_lazy("Mark all your notifications read; answers how many were unread."),
    )
    def post(self, request):
        return Response({"marked": notices_mark_all_read(actor=request.user)})


urlpatterns = [
    path("notifications/", NoticeListApi.as_view(), name="notice-list"),
    path("notifications/read-all/", NoticeReadAllApi.as_view(), name="notice-read-all"),
    path("notifications/<int:pk>/read/", NoticeReadApi.as_view(), name="notice-read"),
]

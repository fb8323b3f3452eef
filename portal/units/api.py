"""REST API for units: list with filters, and detail."""

from rest_framework import generics, serializers

from .filters import UnitFilter
from .models import Unit
from .selectors import unit_get, unit_list


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "edition"]


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    level_label = serializers.CharField(source="get_level_display")
    parent = UnitRefSerializer(allow_null=True)
    successor = UnitRefSerializer(allow_null=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_label",
            "level",
            "level_label",
            "edition",
            "parent",
            "successor",
            "path",
        ]


class UnitListApi(generics.ListAPIView):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        return unit_list(user=self.request.user)


class UnitDetailApi(generics.RetrieveAPIView):
    serializer_class = UnitSerializer

    def get_object(self):
        return unit_get(user=self.request.user, unit_id=self.kwargs["pk"])

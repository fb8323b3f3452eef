"""REST API of the global search: /api/v1/search/?q=… answers the page's groups as JSON."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import GROUP_LIMIT, KINDS, MIN_LENGTH, search, search_query


class SearchHitSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="What the object is called (a case: its reference and title).")
    url = serializers.CharField(help_text="The object's page in the portal (a unit: its dashboard).")
    detail = serializers.CharField(help_text="Where and in what state, as the page shows it under the label.")


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS)
    label = serializers.CharField(help_text="The kind's name in the caller's language.")
    count = serializers.IntegerField(help_text="How many objects of this kind match, in all.")
    hits = SearchHitSerializer(many=True, help_text=f"The first {GROUP_LIMIT} of them.")
    more_url = serializers.CharField(help_text="The kind's list page filtered by the query, or empty.")


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    groups = SearchGroupSerializer(many=True)


class SearchApi(APIView):
    """Cases, units, campaigns, hotspots, programs, models, inspections and recommendations the caller may
    see whose reference, code, name or title matches `q` (diacritics and capitals optional).

    One group per kind the caller's role reads, in a fixed order, each with its count and first hits.
    A query shaped like a case reference ("19-2026-12") searches references by prefix and unit codes.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, required=True, description=f"At least {MIN_LENGTH} letters: a reference, code, name or title."
            )
        ],
        responses={
            200: SearchResultSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="A query shorter than two letters."),
        },
    )
    def get(self, request):
        query = search_query(request.query_params.get("q", ""))
        if query is None:
            raise ValidationError({"q": [_("Type at least %(n)d letters to search.") % {"n": MIN_LENGTH}]})
        groups = search(user=request.user, query=query)
        return Response(SearchResultSerializer({"query": query.text, "groups": groups}).data)

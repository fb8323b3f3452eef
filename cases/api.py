"""REST API for cases: the scoped, filtered register, detail with masked parties, workflow actions, categories."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from portal.accounts.models import User
from portal.accounts.permissions import requires
from portal.accounts.roles import C
from portal.api import (
    FORBIDDEN,
    READ_ERRORS,
    REFUSED,
    WRITE_ERRORS,
    DateField,
    OfficerSerializer,
    ReadOnly,
    SlugRelatedField,
    UnitInScopeField,
    column_bounds,
    refusals,
)
from portal.units.api import UnitRefSerializer

from .filters import CaseFilter
from .models import Case, CaseEvent, Category, DeadlineExtension, DeadlineStatus, Party, Severity
from .permissions import can_edit_case, can_see_identities, mask_id_number, mask_name
from .selectors import case_detail, case_events, case_get, case_list, category_list
from .services import case_clear, case_create, case_extend_deadline, case_transition, case_update

# --- Permissions -------------------------------------------------------------------------------


class CanEditCase(BasePermission):
    """Writes to one case: investigators only on their own unit's (or their assigned) cases."""

    message = _("You may change only the cases of your own unit or those assigned to you.")

    def has_object_permission(self, request, view, obj: Case) -> bool:
        return request.method in SAFE_METHODS or can_edit_case(request.user, obj)


# Reads need the case capability; writes need the edit capability, then CanEditCase on the object.
CASE_ACCESS = [requires(C.VIEW_CASES), ReadOnly | requires(C.EDIT_CASES), CanEditCase]


# --- Output ------------------------------------------------------------------------------------


# One named enum component per choice set, so the schema says "CaseStatus" wherever a status appears.
@extend_schema_field({"type": "string", "enum": Case.Status.values}, component_name="CaseStatus")
class CaseStatusField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Case.Status.choices, **kwargs)

    def to_representation(self, value):
        return super().to_representation(value) or None  # an event without a status change: null, not ""


@extend_schema_field({"type": "string", "enum": Party.Role.values}, component_name="PartyRole")
class PartyRoleField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=Party.Role.choices, **kwargs)


class CategorySerializer(serializers.ModelSerializer):
    line_label = serializers.CharField(source="get_line_display")

    class Meta:
        model = Category
        fields = ["article", "name", "line", "line_label"]


class LinkSerializer(serializers.Serializer):
    """A linked record named: its id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseSerializer(serializers.ModelSerializer):
    """One row of the register; everything nested comes from the selector's eager loading."""

    category = CategorySerializer()
    line_label = serializers.CharField(source="get_line_display")
    severity_label = serializers.CharField(source="get_severity_display")
    status = CaseStatusField(read_only=True)
    status_label = serializers.CharField(source="get_status_display")
    # Annotated in SQL by the selector (cases.selectors.case_list).
    deadline_status = serializers.ChoiceField(choices=DeadlineStatus.choices, read_only=True)
    deadline_status_label = serializers.SerializerMethodField()
    unit = UnitRefSerializer()
    handling_unit = UnitRefSerializer(allow_null=True)
    officers = OfficerSerializer(many=True)
    campaign = LinkSerializer(allow_null=True, help_text=_("The crackdown campaign the case is counted for."))
    hotspot = LinkSerializer(allow_null=True, help_text=_("The hotspot the case belongs to."))
    allowed_moves = serializers.ListField(child=CaseStatusField(), read_only=True)
    can_edit = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "title",
            "category",
            "line",
            "line_label",
            "severity",
            "severity_label",
            "status",
            "status_label",
            "deadline_status",
            "deadline_status_label",
            "due_on",
            "occurred_on",
            "received_on",
            "recorded_on",
            "verification_started_on",
            "investigation_started_on",
            "suspended_on",
            "cleared_on",
            "indicted_on",
            "tried_on",
            "closed_on",
            "unit",
            "handling_unit",
            "officers",
            "campaign",
            "hotspot",
            "damage_amount",
            "recovered_amount",
            "version",
            "allowed_moves",
            "can_edit",
        ]

    def get_deadline_status_label(self, obj: Case) -> str:
        return str(DeadlineStatus(obj.deadline_status).label)

    def get_can_edit(self, obj: Case) -> bool:
        """Whether the requesting user may edit and move this case (officers are prefetched)."""
        return can_edit_case(self.context["request"].user, obj)


class PartySerializer(serializers.ModelSerializer):
    role = PartyRoleField(read_only=True)
    role_label = serializers.CharField(source="get_role_display")
    custody_label = serializers.CharField(source="get_custody_display")

    class Meta:
        model = Party
        fields = [
            "id",
            "role",
            "role_label",
            "full_name",
            "birth_year",
            "gender",
            "id_number",
            "residence",
            "custody",
            "custody_label",
        ]

    def to_representation(self, instance: Party) -> dict:
        data = super().to_representation(instance)
        if self.context.get("masked", True):  # default deny: mask unless told otherwise
            data["full_name"] = mask_name(instance.full_name)
            data["id_number"] = mask_id_number(instance.id_number)
            data["residence"] = "***" if instance.residence else ""
        return data


class ExtensionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = DeadlineExtension
        fields = ["id", "kind", "kind_label", "granted_on", "previous_due_on", "new_due_on", "reason", "actor"]


class CaseEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    from_status = CaseStatusField(read_only=True, allow_null=True)
    from_status_label = serializers.CharField(source="get_from_status_display")
    to_status = CaseStatusField(read_only=True, allow_null=True)
    to_status_label = serializers.CharField(source="get_to_status_display")
    actor = OfficerSerializer(allow_null=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "kind_label",
            "from_status",
            "from_status_label",
            "to_status",
            "to_status_label",
            "on",
            "at",
            "actor",
            "note",
        ]


class CaseDetailSerializer(CaseSerializer):
    """A case with its parties (masked for roles that may not see identities), extensions and timeline."""

    identities_visible = serializers.SerializerMethodField()
    parties = serializers.SerializerMethodField()
    extensions = ExtensionSerializer(many=True)
    events = CaseEventSerializer(many=True)

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "summary",
            "created_at",
            "updated_at",
            "identities_visible",
            "parties",
            "extensions",
            "events",
        ]

    def get_identities_visible(self, obj: Case) -> bool:
        return can_see_identities(self.context["request"].user, obj)

    @extend_schema_field(PartySerializer(many=True))
    def get_parties(self, obj: Case) -> list:
        masked = not self.get_identities_visible(obj)
        return PartySerializer(obj.parties.all(), many=True, context={**self.context, "masked": masked}).data


def detail_response(request, case_id: int, status_code: int = status.HTTP_200_OK, **kwargs) -> Response:
    """The case as GET /cases/{id}/ shows it, read back through the selector after a write."""
    case = case_detail(user=request.user, case_id=case_id)
    return Response(CaseDetailSerializer(case, context={"request": request}).data, status=status_code, **kwargs)


# --- Input -------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class OfficerInScopeField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("User not found, or outside your unit's scope.")}

    def get_queryset(self):
        return User.objects.visible_to(self.context["request"].user).filter(is_active=True)


class CategoryArticleField(SlugRelatedField):
    default_error_messages = {"does_not_exist": _("There is no offence category for article “{value}”.")}

    def __init__(self, **kwargs):
        super().__init__(slug_field="article", queryset=category_list(), **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class CampaignInScopeField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("Campaign not found, or outside your unit's scope.")}

    def get_queryset(self):
        from campaigns.selectors import campaign_list

        return campaign_list(user=self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class HotspotInScopeField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": _("Hotspot not found, or outside your unit's scope.")}

    def get_queryset(self):
        from campaigns.selectors import hotspot_list

        return hotspot_list(user=self.context["request"].user)


class CaseFieldsInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    summary = serializers.CharField(required=False, allow_blank=True)
    category = CategoryArticleField(help_text=_("Penal Code 2015 article, e.g. 173."))
    severity = serializers.ChoiceField(choices=Severity.choices)
    unit = UnitInScopeField(help_text=_("Where it happened: a legacy unit before 1/7/2025, a current one from then."))
    recorded_on = DateField(help_text=_("The date the case counts in statistics."))
    occurred_on = DateField(required=False, allow_null=True)
    handling_unit = UnitInScopeField(required=False, allow_null=True)
    officers = OfficerInScopeField(many=True, required=False)
    damage_amount = serializers.IntegerField(**column_bounds(Case, "damage_amount"), required=False, allow_null=True)
    recovered_amount = serializers.IntegerField(
        **column_bounds(Case, "recovered_amount"), required=False, allow_null=True
    )
    campaign = CampaignInScopeField(
        required=False, allow_null=True, help_text=_("Id of a crackdown campaign covering the case's place.")
    )
    hotspot = HotspotInScopeField(
        required=False, allow_null=True, help_text=_("Id of a hotspot whose area holds the case's place.")
    )


class CaseCreateInputSerializer(CaseFieldsInputSerializer):
    received_on = DateField(required=False, allow_null=True, help_text=_("Defaults to recorded_on."))


class CaseUpdateInputSerializer(CaseFieldsInputSerializer):
    """Every field optional except `version`, the version the client last read (optimistic locking)."""

    version = serializers.IntegerField(min_value=1, help_text=_("Required: the case version you last read."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False

    def validate(self, attrs: dict) -> dict:
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            # Status and dates move only through the workflow actions; say so rather than ignore them.
            raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
        return attrs


def _today():
    return timezone.localdate()  # looked up at call time, so a test's frozen clock applies


class VersionedInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_("The case version you last read."))


class CaseTransitionInputSerializer(VersionedInputSerializer):
    to = CaseStatusField()
    on = DateField(default=_today, help_text=_("Date of the move; defaults to today."))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseClearInputSerializer(VersionedInputSerializer):
    on = DateField(default=_today, help_text=_("Date cleared; defaults to today."))
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CaseExtendInputSerializer(VersionedInputSerializer):
    new_due_on = DateField()
    granted_on = DateField(default=_today, help_text=_("Defaults to today."))
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- Views -------------------------------------------------------------------------------------


@extend_schema_view(get=extend_schema(responses={200: CaseSerializer(many=True), 400: REFUSED, 403: FORBIDDEN}))
class CaseListApi(generics.ListAPIView):
    """Cases in scope, filtered and paginated (GET); recording a new case (POST)."""

    permission_classes = CASE_ACCESS
    serializer_class = CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self):
        return case_list(user=self.request.user)

    @extend_schema(
        request=CaseCreateInputSerializer,
        responses={201: CaseDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    )
    def post(self, request):
        data = CaseCreateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            case = case_create(actor=request.user, **data.validated_data)
        location = reverse("api:case-detail", kwargs={"pk": case.pk})
        return detail_response(request, case.pk, status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(get=extend_schema(responses={200: CaseDetailSerializer, **READ_ERRORS}))
class CaseDetailApi(generics.RetrieveAPIView):
    """One case in scope with parties, extensions and timeline (GET); editing its fields (PATCH)."""

    permission_classes = CASE_ACCESS
    serializer_class = CaseDetailSerializer

    def get_queryset(self):
        return case_list(user=self.request.user)

    def get_object(self) -> Case:
        case = case_detail(user=self.request.user, case_id=self.kwargs["pk"])
        self.check_object_permissions(self.request, case)
        return case

    @extend_schema(request=CaseUpdateInputSerializer, responses={200: CaseDetailSerializer, **WRITE_ERRORS})
    def patch(self, request, pk: int):
        case = self.get_object()
        data = CaseUpdateInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals():
            case_update(case=case, actor=request.user, **data.validated_data)
        return detail_response(request, case.pk)


class CaseActionApi(generics.GenericAPIView):
    """Base of the workflow actions: load the case in scope, check the user may change it, call a service."""

    permission_classes = [requires(C.EDIT_CASES), CanEditCase]
    serializer_class = CaseDetailSerializer

    def get_queryset(self):
        return case_list(user=self.request.user)

    def refusal_extra(self, case: Case) -> dict:
        """More to say in a 400 than the service's message (the transition lists the allowed moves)."""
        return {}

    def act(self, request, pk: int, input_class: type[serializers.Serializer], service) -> Response:
        case = case_get(user=request.user, case_id=pk)
        self.check_object_permissions(request, case)
        data = input_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        with refusals(**self.refusal_extra(case)):
            service(case=case, actor=request.user, **data.validated_data)
        return detail_response(request, case.pk)


class CaseTransitionApi(CaseActionApi):
    """Move the case along the procedure; an illegal move is a 400 that names the allowed moves."""

    def refusal_extra(self, case: Case) -> dict:
        return {"allowed_moves": case.allowed_moves()}

    @extend_schema(request=CaseTransitionInputSerializer, responses={200: CaseDetailSerializer, **WRITE_ERRORS})
    def post(self, request, pk: int):
        return self.act(request, pk, CaseTransitionInputSerializer, case_transition)


class CaseClearApi(CaseActionApi):
    """Mark the case cleared (khám phá: offenders identified) while investigating or suspended."""

    @extend_schema(request=CaseClearInputSerializer, responses={200: CaseDetailSerializer, **WRITE_ERRORS})
    def post(self, request, pk: int):
        return self.act(request, pk, CaseClearInputSerializer, case_clear)


class CaseExtendApi(CaseActionApi):
    """Record an extension of the running verification or investigation deadline."""

    @extend_schema(request=CaseExtendInputSerializer, responses={200: CaseDetailSerializer, **WRITE_ERRORS})
    def post(self, request, pk: int):
        return self.act(request, pk, CaseExtendInputSerializer, case_extend_deadline)


@extend_schema_view(get=extend_schema(responses={200: CaseEventSerializer(many=True), **READ_ERRORS}))
class CaseEventListApi(generics.ListAPIView):
    """The case's timeline, oldest first, paginated."""

    permission_classes = [requires(C.VIEW_CASES)]
    serializer_class = CaseEventSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no case
            return CaseEvent.objects.none()
        return case_events(user=self.request.user, case_id=self.kwargs["pk"])


class CategoryListApi(generics.ListAPIView):
    """Penal Code 2015 articles and their crime lines: reference data for every role with a unit."""

    permission_classes = [requires(C.VIEW_DASHBOARD)]
    serializer_class = CategorySerializer
    filterset_fields = ["line"]

    def get_queryset(self):
        return category_list().visible_to(self.request.user)


@extend_schema_view(get=extend_schema(responses={200: CategorySerializer, **READ_ERRORS}))
class CategoryDetailApi(generics.RetrieveAPIView):
    permission_classes = [requires(C.VIEW_DASHBOARD)]
    serializer_class = CategorySerializer
    lookup_field = "article"
    filter_backends: list = []

    def get_queryset(self):
        return category_list().visible_to(self.request.user)

    def get_object(self) -> Category:
        return super().get_object()

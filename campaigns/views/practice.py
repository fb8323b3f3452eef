"""Good-practice model pages: the filtered list, the model's file (replications, evaluations and the forms that
add them, the lifecycle move), and the record/edit form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View

from portal.stale import changed_since

from ..filters import GoodPracticeModelFilter
from ..forms.practice import (
    EvaluationForm,
    GoodPracticeModelForm,
    ModelTransitionForm,
    ReplicationForm,
    add_service_error,
    filter_form_for_page,
    style_form,
)
from ..models import GoodPracticeModel
from ..permissions import can_edit_models, can_view_models
from ..selectors.practice import model_detail, model_get, model_list
from ..services import (
    MODEL_EDITABLE,
    StaleVersionError,
    model_create,
    model_evaluate,
    model_replicate,
    model_transition,
    model_update,
)

PAGE_SIZE = 50


class ModelReadMixin(LoginRequiredMixin, UserPassesTestMixin):
    """Every model page: logged in (else the log-in page), and a role that reads models (else 403)."""

    def test_func(self) -> bool:
        return can_view_models(self.request.user)


class ModelWriteMixin(ModelReadMixin):
    """Pages that change models: a role without the right is refused (403) before any lookup."""

    def test_func(self) -> bool:
        return can_edit_models(self.request.user)


class ModelListView(ModelReadMixin, View):
    def get(self, request):
        filterset = GoodPracticeModelFilter(request.GET, queryset=model_list(user=request.user), request=request)
        form = filter_form_for_page(filterset.form)  # before filtering: dates are read dd/mm/yyyy
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "filter_form": form,
            "page_obj": page,
            "models": page.object_list,
            "is_filtered": any(v for k, v in request.GET.items() if k != "page"),
            "can_create": can_edit_models(request.user),
        }
        return render(request, "campaigns/model_list.html", context)


# --- The model's file --------------------------------------------------------------------------


def model_page_context(request, model: GoodPracticeModel, **bound: forms.Form) -> dict:
    """Everything the model's file shows; `bound` holds a refused form (move_form, replication_form or
    evaluation_form), shown in its place with its errors and the user's input kept."""
    user = request.user
    context = {"model": model, "can_edit": can_edit_models(user), **bound}
    if not context["can_edit"]:
        return context
    move_form = bound.get("move_form")
    moves = []
    for to in model.allowed_moves():
        form = move_form if move_form is not None and move_form.data.get("to") == to else None
        if form is None:
            form = ModelTransitionForm(initial={"version": model.version, "to": to}, auto_id=f"move-{to}-%s")
        moves.append({"to": to, "label": GoodPracticeModel.Status(to).label, "form": style_form(form)})
    context["moves"] = moves
    context["replication_form"] = style_form(bound.get("replication_form") or ReplicationForm(user=user))
    context["evaluation_form"] = style_form(bound.get("evaluation_form") or EvaluationForm(user=user))
    return context


class ModelDetailView(ModelReadMixin, View):
    def get(self, request, pk: int):
        model = model_detail(user=request.user, model_id=pk)
        return render(request, "campaigns/model_detail.html", model_page_context(request, model))


class ModelActionView(ModelWriteMixin, View):
    """One form of the model's file, posted: success goes back to the file with a message; a refusal shows the
    file again with the message beside that form and the input kept."""

    http_method_names = ["post"]
    context_name: str

    def make_form(self, data) -> forms.Form:
        raise NotImplementedError

    def perform(self, model: GoodPracticeModel, data: dict) -> str:
        """Call the service; answer the success message."""
        raise NotImplementedError

    def post(self, request, pk: int):
        model = model_get(user=request.user, model_id=pk)  # out of scope: 404
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                message = self.perform(model, form.cleaned_data)
            except StaleVersionError as error:
                # Keep the input; the page shows the model as it is now, and confirming again is the user's call.
                fresh = request.POST.copy()
                fresh["version"] = str(model_get(user=request.user, model_id=pk).version)
                form = self.make_form(fresh)
                form.is_valid()
                form.add_error(None, error.messages)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, message)
                return redirect("campaigns:model-detail", pk=pk)
        model = model_detail(user=request.user, model_id=pk)
        context = model_page_context(request, model, **{self.context_name: form})
        return render(request, "campaigns/model_detail.html", context)


class ModelTransitionView(ModelActionView):
    context_name = "move_form"

    def make_form(self, data) -> forms.Form:
        to = data.get("to", "")
        return ModelTransitionForm(
            data, auto_id=f"move-{to}-%s" if to in GoodPracticeModel.Status.values else "move-%s"
        )

    def perform(self, model: GoodPracticeModel, data: dict) -> str:
        model = model_transition(
            model=model, to=data["to"], on=data["on"], version=data["version"], actor=self.request.user
        )
        return _("The model is now “%(status)s”.") % {"status": model.get_status_display()}


class ModelReplicateView(ModelActionView):
    context_name = "replication_form"

    def make_form(self, data) -> forms.Form:
        return ReplicationForm(data, user=self.request.user)

    def perform(self, model: GoodPracticeModel, data: dict) -> str:
        replication = model_replicate(
            model=model, unit=data["unit"], replicated_on=data["replicated_on"], actor=self.request.user
        )
        return _("Replication to %(unit)s on %(d)s recorded.") % {
            "unit": replication.unit,
            "d": date_format(replication.replicated_on, "d/m/Y"),
        }


class ModelEvaluateView(ModelActionView):
    context_name = "evaluation_form"

    def make_form(self, data) -> forms.Form:
        return EvaluationForm(data, user=self.request.user)

    def perform(self, model: GoodPracticeModel, data: dict) -> str:
        model_evaluate(
            model=model,
            actor=self.request.user,
            on=data["on"],
            evaluator=data["evaluator"],
            evaluator_unit=data["evaluator_unit"],
            text=data["text"],
            rating=data["rating"],
        )
        return _("Evaluation recorded.")


# --- Record and edit ---------------------------------------------------------------------------


class ModelFormView(ModelWriteMixin, View):
    """Record a model (no pk) or edit one; both call the services, which have the last word."""

    template_name = "campaigns/model_form.html"

    def get_model(self, pk: int | None) -> GoodPracticeModel | None:
        return None if pk is None else model_get(user=self.request.user, model_id=pk)  # out of scope: 404

    def render_form(self, form: GoodPracticeModelForm, model: GoodPracticeModel | None, **extra) -> HttpResponse:
        return render(self.request, self.template_name, {"form": style_form(form), "model": model, **extra})

    def get(self, request, pk: int | None = None):
        model = self.get_model(pk)
        return self.render_form(GoodPracticeModelForm(user=request.user, model=model), model)

    def post(self, request, pk: int | None = None):
        model = self.get_model(pk)
        form = GoodPracticeModelForm(request.POST, user=request.user, model=model)
        if not form.is_valid():
            return self.render_form(form, model)
        try:
            if model is None:
                model = model_create(actor=request.user, **form.service_arguments())
                messages.success(request, _("Model “%(name)s” recorded.") % {"name": model.name})
            else:
                model = model_update(
                    model=model, actor=request.user, version=form.cleaned_data["version"], **form.service_arguments()
                )
                messages.success(request, _("Model “%(name)s” saved.") % {"name": model.name})
        except StaleVersionError as error:
            return self.stale_edit(form, model, error)
        except ValidationError as error:  # CampaignError, or the model's own validation
            add_service_error(form, error)
            return self.render_form(form, model)
        return redirect("campaigns:model-detail", pk=model.pk)

    def stale_edit(self, form: GoodPracticeModelForm, model: GoodPracticeModel, error: StaleVersionError):
        """Nothing was saved: show what the other person changed, keep the user's input, and let them decide."""
        current = model_get(user=self.request.user, model_id=model.pk)
        changes = changed_since(current, form.cleaned_data["version"], MODEL_EDITABLE)
        data = self.request.POST.copy()
        data["version"] = str(current.version)
        form = GoodPracticeModelForm(data, user=self.request.user, model=current)
        form.is_valid()
        form.add_error(None, error.messages)
        return self.render_form(form, current, stale_changes=changes)


urlpatterns = [
    path("models/", ModelListView.as_view(), name="model-list"),
    path("models/new/", ModelFormView.as_view(), name="model-create"),
    path("models/<int:pk>/", ModelDetailView.as_view(), name="model-detail"),
    path("models/<int:pk>/edit/", ModelFormView.as_view(), name="model-edit"),
    path("models/<int:pk>/move/", ModelTransitionView.as_view(), name="model-transition"),
    path("models/<int:pk>/replications/", ModelReplicateView.as_view(), name="model-replicate"),
    path("models/<int:pk>/evaluations/", ModelEvaluateView.as_view(), name="model-evaluate"),
]

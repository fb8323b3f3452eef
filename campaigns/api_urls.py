"""REST API URLs of the campaigns app, included under /api/v1/ (namespace "api")."""

from django.urls import path

from .api import crackdown, hotspots, practice, propaganda

urlpatterns = [
    path("hotspots/", hotspots.HotspotListApi.as_view(), name="hotspot-list"),
    path("hotspots/<int:pk>/", hotspots.HotspotDetailApi.as_view(), name="hotspot-detail"),
    path("hotspots/<int:pk>/transition/", hotspots.HotspotTransitionApi.as_view(), name="hotspot-transition"),
    path("models/", practice.ModelListApi.as_view(), name="model-list"),
    path("models/<int:pk>/", practice.ModelDetailApi.as_view(), name="model-detail"),
    path("models/<int:pk>/transition/", practice.ModelTransitionApi.as_view(), name="model-transition"),
    path("models/<int:pk>/replications/", practice.ModelReplicationApi.as_view(), name="model-replications"),
    path("models/<int:pk>/evaluations/", practice.ModelEvaluationApi.as_view(), name="model-evaluations"),
    *crackdown.urlpatterns,  # campaigns/...
    *propaganda.urlpatterns,  # propaganda-programs/..., propaganda-activities/...
]

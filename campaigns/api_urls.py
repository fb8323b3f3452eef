"""REST API URLs of the campaigns app, included under /api/v1/ (namespace "api")."""

from django.urls import path

from . import api

urlpatterns = [
    path("hotspots/", api.HotspotListApi.as_view(), name="hotspot-list"),
    path("hotspots/<int:pk>/", api.HotspotDetailApi.as_view(), name="hotspot-detail"),
    path("hotspots/<int:pk>/transition/", api.HotspotTransitionApi.as_view(), name="hotspot-transition"),
    path("models/", api.ModelListApi.as_view(), name="model-list"),
    path("models/<int:pk>/", api.ModelDetailApi.as_view(), name="model-detail"),
    path("models/<int:pk>/transition/", api.ModelTransitionApi.as_view(), name="model-transition"),
    path("models/<int:pk>/replications/", api.ModelReplicationApi.as_view(), name="model-replications"),
]

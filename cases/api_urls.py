"""REST API URLs of the cases app, included under /api/v1/ (namespace "api")."""

from django.urls import path

from . import api

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="case-list"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<int:pk>/transition/", api.CaseTransitionApi.as_view(), name="case-transition"),
    path("cases/<int:pk>/clear/", api.CaseClearApi.as_view(), name="case-clear"),
    path("cases/<int:pk>/extend/", api.CaseExtendApi.as_view(), name="case-extend"),
    path("cases/<int:pk>/events/", api.CaseEventListApi.as_view(), name="case-events"),
    path("categories/", api.CategoryListApi.as_view(), name="category-list"),
    path("categories/<str:article>/", api.CategoryDetailApi.as_view(), name="category-detail"),
]

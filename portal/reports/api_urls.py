"""REST API URLs of the statistics app, included under /api/v1/ (namespace "api")."""

from django.urls import path

from . import api, api_document, api_snapshots, api_subscriptions

urlpatterns = [
    path("summaries/", api.SummaryApi.as_view(), name="summary"),
    path("summaries/breakdown/", api.SummaryBreakdownApi.as_view(), name="summary-breakdown"),
    path("summaries/approve/", api_snapshots.SummaryApproveApi.as_view(), name="summary-approve"),
    path("targets/", api.TargetListApi.as_view(), name="target-list"),
    path("targets/<int:pk>/", api.TargetDetailApi.as_view(), name="target-detail"),
    *api_document.urlpatterns,  # reports/ (the document as PDF or XLSX)
    *api_subscriptions.urlpatterns,  # report-subscriptions/, report-deliveries/
]

"""Page URLs of the cases app (namespace "cases")."""

from django.urls import path

from . import import_views, views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("export/", views.CaseExportView.as_view(), name="export"),
    path("new/", views.CaseFormView.as_view(), name="create"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CaseFormView.as_view(), name="edit"),
    path("<int:pk>/move/", views.CaseTransitionView.as_view(), name="transition"),
    path("<int:pk>/clear/", views.CaseClearView.as_view(), name="clear"),
    path("<int:pk>/extend/", views.CaseExtendView.as_view(), name="extend"),
]

# The import page and the JSON its progress bar polls.
urlpatterns += [
    path("import/", import_views.CaseImportView.as_view(), name="import"),
    path("import/status/<str:job_id>/", import_views.CaseImportStatusView.as_view(), name="import-status"),
]

"""Statistics pages, included at /reports/ (namespace "reports"); the dashboard itself is the home page."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("charts/<slug:name>.<slug:fmt>", views.DashboardChartView.as_view(), name="chart"),
]

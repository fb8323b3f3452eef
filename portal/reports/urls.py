"""Statistics pages, included at /reports/ (namespace "reports"); the dashboard itself is the home page."""

from django.urls import path

from . import delivery_views, document_views, views

app_name = "reports"

urlpatterns = [
    path("charts/<slug:name>.<slug:fmt>", views.DashboardChartView.as_view(), name="chart"),
    *document_views.urlpatterns,  # document/ (preview), document.pdf, document.xlsx
    *delivery_views.urlpatterns,  # the "Báo cáo" page: subscriptions and deliveries, unsubscribe
]

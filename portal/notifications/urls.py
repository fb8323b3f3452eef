"""Page URLs of notifications (namespace "notifications"), under /notifications/."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NoticeListView.as_view(), name="list"),
    path("read-all/", views.NoticeReadAllView.as_view(), name="read-all"),
    path("settings/", views.PreferencesView.as_view(), name="settings"),
    path("<int:pk>/read/", views.NoticeReadView.as_view(), name="read"),
    path("<int:pk>/open/", views.NoticeOpenView.as_view(), name="open"),
]

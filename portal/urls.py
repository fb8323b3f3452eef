"""URL map: pages, admin, the REST API under /api/v1/, its schema and offline docs."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal.accounts import api as accounts_api
from portal.accounts import views as accounts_views
from portal.notifications import api as notifications_api
from portal.search import api as search_api
from portal.units import api as units_api
from portal.views import DashboardView

accounts_patterns = (
    [
        path("login/", accounts_views.LoginView.as_view(), name="login"),
        path("logout/", accounts_views.LogoutView.as_view(), name="logout"),
        path("login/code/", accounts_views.second_step, name="second-step"),
        path("two-factor/setup/", accounts_views.two_factor_setup, name="two-factor-setup"),
        path("security/", accounts_views.security, name="security"),
    ],
    "accounts",
)

api_v1 = [
    path("auth/token/", accounts_api.TokenCreateApi.as_view(), name="token"),
    path("auth/token/current/", accounts_api.TokenRevokeApi.as_view(), name="token-revoke"),
    path("me/", accounts_api.MeApi.as_view(), name="me"),
    path("units/", units_api.UnitListApi.as_view(), name="unit-list"),
    path("units/<int:pk>/", units_api.UnitDetailApi.as_view(), name="unit-detail"),
    path("users/", accounts_api.UserListApi.as_view(), name="user-list"),
    path("users/<int:pk>/", accounts_api.UserDetailApi.as_view(), name="user-detail"),
    path("", include("cases.api_urls")),
    path("", include("campaigns.api_urls")),
    path("", include("portal.reports.api_urls")),
    path("", include("portal.oversight.api_urls")),
    path("search/", search_api.SearchApi.as_view(), name="search"),
    *notifications_api.urlpatterns,
]

urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("accounts/", include(accounts_patterns)),
    path("cases/", include("cases.urls")),
    path("reports/", include("portal.reports.urls")),
    path("oversight/", include("portal.oversight.urls")),
    path("jobs/", include("portal.jobs.urls")),
    path("search/", include("portal.search.urls")),
    path("notifications/", include("portal.notifications.urls")),
    path("", include("campaigns.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    # Schema and docs for signed-in users only (SERVE_PERMISSIONS): a token or a session.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: the CSP allows no inline script.
    # A person without a session is sent to the log-in page rather than shown a JSON 401.
    path("api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

"""REST API URLs of the cases app, included under /api/v1/ (namespace "api")."""

urlpatterns: list = []

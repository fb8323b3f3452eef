"""REST API URLs of the oversight app, included under /api/v1/ (namespace "api"); each module lists its own."""

from .api import inspections, recommendations

urlpatterns = [*inspections.urlpatterns, *recommendations.urlpatterns]

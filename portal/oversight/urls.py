"""Page URLs of the oversight app (namespace "oversight"), under /oversight/."""

from .views import inspections, overview, recommendations

app_name = "oversight"

urlpatterns = [
    *overview.urlpatterns,  # the overview ("oversight:list")
    *inspections.urlpatterns,  # inspections/..., directives/...
    *recommendations.urlpatterns,  # recommendations/...
]

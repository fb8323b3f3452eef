"""Pages of the hotspots area."""

urlpatterns: list = []

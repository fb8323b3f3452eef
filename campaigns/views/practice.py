"""Pages of the practice area."""

urlpatterns: list = []

"""Pages of the propaganda area."""

urlpatterns: list = []

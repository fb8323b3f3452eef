"""REST API of the oversight recommendations area."""

urlpatterns: list = []

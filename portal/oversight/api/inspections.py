"""REST API of the oversight inspections area."""

urlpatterns: list = []

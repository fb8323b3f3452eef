"""Page URLs of the cases app (namespace "cases")."""

app_name = "cases"

urlpatterns: list = []

# Pages (cases/views.py) and the import page (cases/import_views.py) add their routes here.

"""HTML pages of the campaigns app, one module per area; each module exports its `urlpatterns`."""

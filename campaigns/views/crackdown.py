"""Pages of the crackdown area."""

urlpatterns: list = []

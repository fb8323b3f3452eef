"""REST API of the propaganda area; its URLs are listed in `urlpatterns` and included by campaigns/api_urls.py."""

urlpatterns: list = []

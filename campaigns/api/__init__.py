"""REST API of the campaigns app, one module per area; URLs in campaigns/api_urls.py."""

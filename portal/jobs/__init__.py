"""Background jobs: long exports and reports run by the Celery worker, followed on a progress page."""

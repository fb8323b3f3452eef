"""App config for backups: `manage.py backup` and `manage.py restore` (no models, so nothing to translate)."""

from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "portal.backups"
    label = "backups"
    verbose_name = "Backups"

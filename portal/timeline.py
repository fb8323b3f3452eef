"""The fields every timeline entry shares (case events, hotspot events): when, who, a note."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimelineEntry(models.Model):
    """Abstract: the date a step happened, when it was recorded, by whom, and a note."""

    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["on", "at", "id"]

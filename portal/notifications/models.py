"""In-app notices (what the bell counts) and each user's channel per kind of event (mail, in-app or both)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DEADLINES = "deadlines", _("Case deadlines due or overdue")
    RECOMMENDATION_RECEIVED = "recommendation_received", _("Recommendation received")
    RECOMMENDATION_ANSWERED = "recommendation_answered", _("Recommendation answered")
    OVERSIGHT_DIGEST = "oversight_digest", _("Overdue oversight items (every Monday)")
    REPORT_DELIVERED = "report_delivered", _("Periodic report sent")
    REPORT_FAILED = "report_failed", _("Periodic report could not be sent")
    IMPORT_FINISHED = "import_finished", _("Case import finished")
    WORK_FINISHED = "work_finished", _("Export or report ready")


class Channel(models.TextChoices):
    BOTH = "both", _("E-mail and in the portal")
    IN_APP = "in_app", _("In the portal only")
    MAIL = "mail", _("E-mail only")


# The channels a user may choose for each kind; the first is the default. A kind with no mail of its own
# (a failed report never reached the mailbox; imports and background work finish while one uses the portal)
# is in-app only. A periodic report IS a mail, which its subscription starts and stops: the choice here only
# says whether the portal also shows a notice.
KIND_CHANNELS: dict[str, tuple[str, ...]] = {
    Kind.DEADLINES: (Channel.BOTH, Channel.IN_APP, Channel.MAIL),
    Kind.RECOMMENDATION_RECEIVED: (Channel.BOTH, Channel.IN_APP, Channel.MAIL),
    Kind.RECOMMENDATION_ANSWERED: (Channel.BOTH, Channel.IN_APP, Channel.MAIL),
    Kind.OVERSIGHT_DIGEST: (Channel.BOTH, Channel.IN_APP, Channel.MAIL),
    Kind.REPORT_DELIVERED: (Channel.BOTH, Channel.MAIL),
    Kind.REPORT_FAILED: (Channel.IN_APP,),
    Kind.IMPORT_FINISHED: (Channel.IN_APP,),
    Kind.WORK_FINISHED: (Channel.IN_APP,),
}


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NoticeQuerySet":
        """A notice is its recipient's alone: nobody else reads or marks it, whatever their role."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> "NoticeQuerySet":
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """One thing the bell tells a user; the key names the event, so a task run twice creates nothing new."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notice_once_per_recipient")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notice_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NoticePreference(models.Model):
    """A user's channel for one kind; no row means the kind's default (the first of KIND_CHANNELS)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.BOTH)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notice_preference_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}: {self.channel}"

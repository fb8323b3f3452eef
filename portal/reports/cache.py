"""A shared cache of live statistics, dropped as a whole whenever a counted record changes.

Live figures of an open period are recomputed from the records on every view; at national scale
a dashboard costs ~230 ms of database work (docs/performance.md), and hundreds of leaders look at
the same few units. `cached` keeps such a computation under a key that includes the current
*generation*, a random token that `changed` replaces whenever a record that any figure counts is
saved or deleted: the next view computes afresh, nobody sees figures older than the last change.

- Signals: post_save and post_delete of every model a figure family counts (`Family.models`) and
  of the targets and units, so services, forms, the admin and the API are covered.
- Bulk writes bypass signals (`bulk_create`, raw SQL, COPY): those paths call `changed()`
  themselves (case import, propaganda import, inspected units, the unit list, the seeders).
- The generation changes at once and again after the transaction commits, so a view that read
  the records just before the commit cannot keep its figures under the new generation.
- Entries also expire after `PORTAL_STATS_CACHE_SECONDS` (default 60; 0 turns the cache off): a
  write path that forgot to call `changed()` could show figures that old, never older.

The cache must be shared by every process (web workers, Celery, commands): `CACHE_URL` names
Redis in production; the default is a file cache under var/cache.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "portal:stats:generation"


def generation() -> str:
    """The current generation token (created on first use)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def _renew() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def renew_after_commit() -> None:
    _renew()


def changed(**_signal_kwargs) -> None:
    """A counted record changed: every cached figure is stale (now, and once more after commit).

    Inside a transaction the second renewal is scheduled once, however many records it writes.
    """
    _renew()
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return  # autocommit: the write is already committed
    if any(entry[1] is renew_after_commit for entry in connection.run_on_commit):
        return
    transaction.on_commit(renew_after_commit)


def cached(parts: tuple, compute):
    """compute(), or its value kept from an earlier call with the same parts in this generation."""
    seconds = settings.PORTAL_STATS_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"portal:stats:{generation()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=seconds)
    return value


def connect(model_labels) -> None:
    """Drop the cached figures whenever one of these models is saved or deleted."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for label in model_labels:
        model = apps.get_model(label)
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"stats-cache-save-{label}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"stats-cache-delete-{label}")

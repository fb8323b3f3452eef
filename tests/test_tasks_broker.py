"""The suite leaves nothing in the checkout's task queue: a worker started later by `make run` must not
run the tests' tasks against the demo database."""

from pathlib import Path

from django.conf import settings

from portal.oversight.tasks import recommendation_notify_task


def queued(folder: Path) -> set[Path]:
    return set(folder.iterdir()) if folder.is_dir() else set()


def test_a_task_queued_by_a_test_stays_out_of_the_checkouts_queue():
    queue = Path(settings.VAR_DIR) / "celery" / "queue"  # the filesystem broker's, as `make run` uses it
    before = queued(queue)

    recommendation_notify_task.delay("received", 0)

    assert queued(queue) == before

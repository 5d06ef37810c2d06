import contextlib
import threading

from django.db import models


class TimeStampedModel(models.Model):
    """Every Essaim model knows when it was created and last changed."""

    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class SearchOutboxQuerySet(models.QuerySet):
    def after(self, last_id: int):
        return self.filter(id__gt=last_id).order_by("id")


class SearchOutbox(models.Model):
    """A change to an indexed record, written in the same transaction as the change itself.

    The search index is derived from the database: if the transaction rolls back, the row disappears with it; if
    it commits, the row exists, so a crash between the commit and the index update loses nothing — the indexer
    (or ``essaim index_sync`` on another node) replays the rows it has not applied yet. Domain apps write rows
    through :func:`search_outbox_add` and never talk to the index themselves.
    """

    UPSERT = "upsert"
    DELETE = "delete"
    ACTIONS = [(UPSERT, "mise à jour"), (DELETE, "suppression")]

    model = models.CharField("modèle", max_length=60)
    object_id = models.BigIntegerField("identifiant de l'objet")
    action = models.CharField("action", max_length=10, choices=ACTIONS, default=UPSERT)
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = SearchOutboxQuerySet.as_manager()

    class Meta:
        verbose_name = "file d'indexation"
        verbose_name_plural = "file d'indexation"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=["upsert", "delete"]), name="outbox_action_valid"),
        ]

    def __str__(self):
        return f"{self.action} {self.model}#{self.object_id}"


# Called after commit with no argument when outbox rows were written: the search app registers its indexer here
# (core never imports search). With no listener (a management shell without the search app), rows just wait.
SEARCH_OUTBOX_LISTENERS: list = []
_deferred = threading.local()


def _notify_search_outbox():
    for listener in list(SEARCH_OUTBOX_LISTENERS):
        listener()


def search_outbox_add(*, model: str, ids, action: str = SearchOutbox.UPSERT, using: str = "default") -> int:
    """Records that the ``model`` records ``ids`` changed, inside the caller's transaction, and asks the indexer
    to apply it right after the commit. Returns the number of rows written."""
    from django.db import transaction

    rows = [SearchOutbox(model=model, object_id=int(pk), action=action) for pk in ids]
    if not rows:
        return 0
    SearchOutbox.objects.using(using).bulk_create(rows, batch_size=5000)
    if getattr(_deferred, "depth", 0):
        _deferred.pending = True
    else:
        transaction.on_commit(_notify_search_outbox, using=using)
    return len(rows)


@contextlib.contextmanager
def search_outbox_deferred():
    """Bulk writers (imports) commit many batches: their outbox rows are applied once, at the end, instead of
    after every batch. A crash in between loses nothing either: the rows are in the outbox."""
    _deferred.depth = getattr(_deferred, "depth", 0) + 1
    try:
        yield
    finally:
        _deferred.depth -= 1
        if not _deferred.depth and getattr(_deferred, "pending", False):
            _deferred.pending = False
            from django.db import transaction

            transaction.on_commit(_notify_search_outbox)

import contextlib
import threading

from django.conf import settings
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


class AccessRecordQuerySet(models.QuerySet):
    def of(self, subject: str, object_id=None):
        records = self.filter(subject=subject)
        return records if object_id is None else records.filter(object_id=object_id)


class AccessRecord(TimeStampedModel):
    """Who read or downloaded a list of people or an export, and when (RGPD accountability): registrant lists,
    campaign reports, the grants' year-end exports. Any app writes here through :func:`essaim.core.audit.record_access`
    (a grant application keeps its own ``grants.AccessLog``). The row names what was read by its kind and id, never
    the people listed; the reader's account may be deleted (the row stays, anonymous)."""

    VIEW = "view"
    EXPORT = "export"
    ACTIONS = [(VIEW, "consultation"), (EXPORT, "téléchargement")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="personne"
    )
    action = models.CharField("action", max_length=10, choices=ACTIONS)
    subject = models.CharField("type de données", max_length=40)
    object_id = models.BigIntegerField("identifiant de l'objet", null=True, blank=True)
    label = models.CharField("données", max_length=200)
    detail = models.CharField("détail", max_length=200, blank=True)

    objects = AccessRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "accès à des données personnelles"
        verbose_name_plural = "accès aux données personnelles"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["subject", "object_id", "created_at"], name="accessrecord_subject"),
            models.Index(fields=["created_at"], name="accessrecord_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["view", "export"]), name="accessrecord_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user or 'compte supprimé'} — {self.get_action_display()} — {self.label}"


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

"""Writes of the good practices (seed 004: "l'échange de bonnes pratiques"; fiche 6 of seed 002: "identifier des
pratiques, échanger sur les expériences"): a member's person writes a sheet and sends it to review; a facilitator
publishes it or sends it back with a note; the author is told by mail after the commit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from essaim.club import perms
from essaim.club.enums import MemberStatus, PracticeStatus
from essaim.club.models import PracticeSheet
from essaim.club.services.meetings import topics_from_names

__all__ = ["practice_review", "practice_save", "practice_submit"]

FIELDS = ("title", "what", "for_whom", "how", "results", "contact")
EDITABLE = (PracticeStatus.DRAFT, PracticeStatus.RETURNED, PracticeStatus.SUBMITTED)


@transaction.atomic
def practice_save(
    *,
    by,
    member=None,
    practice: PracticeSheet | None = None,
    data: dict,
    sectors=(),
    topics=(),
    new_topics=(),
    submit: bool = False,
) -> PracticeSheet:
    """Creates (for ``member``) or changes a practice sheet: what, for whom, how, results, contact, sectors, topics.
    ``submit`` sends it to review (« Envoyer en relecture »). A published sheet is changed by the staff only."""
    if practice is None:
        if member is None or member.status != MemberStatus.ACTIVE or not perms.acts_for(by, member):
            raise ValidationError("Seules les personnes d'une structure membre écrivent des fiches pratiques.")
        practice = PracticeSheet(club=member.club, member=member, written_by=by)
    elif not perms.can_edit_practice(by, practice):
        raise ValidationError("Vous ne pouvez pas modifier cette fiche.")
    for name in FIELDS:
        setattr(practice, name, str(data.get(name) or "").strip())
    if not practice.title:
        raise ValidationError({"title": "Donnez un titre à la fiche."})
    if not practice.what:
        raise ValidationError({"what": "Décrivez la pratique."})
    if submit and practice.status in (PracticeStatus.DRAFT, PracticeStatus.RETURNED):
        practice.status = PracticeStatus.SUBMITTED
    practice.full_clean(exclude=["club", "member", "written_by", "reviewed_by"])
    practice.save()
    practice.sectors.set(sectors)
    chosen = [t for t in topics if t.club_id == practice.club_id]
    fresh = [t for t in topics_from_names(club=practice.club, names=new_topics) if t not in chosen]
    practice.topics.set(chosen + fresh)
    return practice


def practice_submit(*, practice: PracticeSheet, by) -> PracticeSheet:
    """« Envoyer en relecture »: a draft (or a sheet sent back) goes to the facilitators."""
    if not perms.can_edit_practice(by, practice):
        raise ValidationError("Vous ne pouvez pas envoyer cette fiche en relecture.")
    updated = PracticeSheet.objects.filter(
        pk=practice.pk, status__in=[PracticeStatus.DRAFT, PracticeStatus.RETURNED]
    ).update(status=PracticeStatus.SUBMITTED, updated_at=timezone.now())
    if not updated:
        raise ValidationError("Cette fiche n'est pas un brouillon : elle est déjà en relecture ou publiée.")
    practice.refresh_from_db()
    return practice


def practice_review(
    *, practice: PracticeSheet, by, publish: bool, note: str = "", site_url: str = ""
) -> PracticeSheet:
    """A facilitator publishes a sheet waiting for review, or sends it back with a note (required). A conditional
    UPDATE from « à relire »: two facilitators deciding at once, only the first decision counts."""
    from essaim.club.tasks.meetings import send_practice_reviewed

    if not perms.can_facilitate(by, practice.club):
        raise ValidationError("Seules les personnes qui animent le club relisent les fiches.")
    note = (note or "").strip()
    if not publish and not note:
        raise ValidationError({"note": "Dites à l'auteur·rice ce qu'il faut reprendre."})
    now = timezone.now()
    changes = {"reviewed_by": by, "review_note": note, "updated_at": now}
    if publish:
        changes.update(status=PracticeStatus.PUBLISHED, published_at=now)
    else:
        changes.update(status=PracticeStatus.RETURNED)
    with transaction.atomic():
        updated = PracticeSheet.objects.filter(pk=practice.pk, status=PracticeStatus.SUBMITTED).update(**changes)
        if not updated:
            raise ValidationError("Cette fiche n'attend pas de relecture (quelqu'un l'a peut-être déjà relue).")
        pk = practice.pk
        transaction.on_commit(lambda: send_practice_reviewed.enqueue(pk, site_url))
    practice.refresh_from_db()
    return practice

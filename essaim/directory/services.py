"""Writes on the directory. Views, API, commands and imports call these; none sets fields and saves itself.

Every service that changes what the public search shows writes a search-outbox row in the same transaction
(``search_outbox_add``): the index follows the database after the commit, and a crash loses nothing.
"""

import difflib
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from essaim.core.models import search_outbox_add
from essaim.core.text import fold
from essaim.directory.enums import EssSource, RequestStatus, Status, Transition
from essaim.directory.models import (
    DirectorySettings,
    ErrorReport,
    ModerationLog,
    Sector,
    Structure,
    StructureChange,
    StructureClaim,
    StructureLabel,
)
from essaim.directory.perms import can_moderate_structure

logger = logging.getLogger("essaim.directory")
OUTBOX_MODEL = "directory.structure"

# The moderation workflow: transition → (statuses it may start from, status it leads to). Nothing else moves a
# structure's status.
TRANSITIONS = {
    Transition.SUBMIT: ({Status.DRAFT}, Status.PENDING),
    Transition.PUBLISH: ({Status.DRAFT, Status.PENDING, Status.REJECTED}, Status.PUBLISHED),
    Transition.REJECT: ({Status.DRAFT, Status.PENDING}, Status.REJECTED),
    Transition.ARCHIVE: ({Status.DRAFT, Status.PENDING, Status.PUBLISHED, Status.REJECTED}, Status.ARCHIVED),
    Transition.RESTORE: ({Status.ARCHIVED}, Status.PUBLISHED),
    Transition.MERGE: ({Status.DRAFT, Status.PENDING, Status.PUBLISHED, Status.REJECTED}, Status.ARCHIVED),
}

# Fields an owner or an officer edits through the forms (identity numbers come from registers, not from forms).
EDITABLE_FIELDS = [
    "name",
    "usual_name",
    "description",
    "address",
    "postcode",
    "website",
    "email",
    "phone",
    "opening_hours",
    "accessibility",
    "is_employer",
    "headcount_band",
    "logo_alt",
]


class TransitionNotAllowed(ValueError):
    """The structure's current status does not allow that move."""


def structures_changed(ids) -> None:
    """Tells the search index that these structures changed (inside the caller's transaction)."""
    search_outbox_add(model=OUTBOX_MODEL, ids=ids)


RESERVED_SLUGS = {"referencer", "moderation", "export-csv"}  # paths of /annuaire/ itself


def unique_slug(name: str, commune=None, *, exclude_pk=None) -> str:
    base = slugify(fold(name))[:100] or "structure"
    if base in RESERVED_SLUGS:
        base = f"{base}-structure"
    candidates = [base]
    if commune is not None:
        candidates.append(f"{base}-{slugify(fold(commune.name))}"[:110])
    for candidate in candidates:
        if not Structure.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
            return candidate
    n = 2
    while Structure.objects.filter(slug=f"{candidates[-1]}-{n}").exclude(pk=exclude_pk).exists():
        n += 1
    return f"{candidates[-1]}-{n}"


def ensure_sectors() -> dict:
    """The sector taxonomy (seeded by migration 0002; a flushed test database loses it): slug → Sector."""
    from essaim.directory.sectors import SECTORS

    existing = {s.slug: s for s in Sector.objects.all()}
    for position, (slug, name, description) in enumerate(SECTORS, start=1):
        if slug not in existing:
            existing[slug] = Sector.objects.create(slug=slug, name=name, description=description, position=position)
    return existing


def directory_settings_for(territory) -> DirectorySettings:
    settings_, _ = DirectorySettings.objects.get_or_create(territory=territory)
    return settings_


def _settings_of(structure):
    if not structure.commune_id:
        return []
    return list(DirectorySettings.objects.filter(territory__perimeter__commune_id=structure.commune_id))


def owner_edits_need_review(structure) -> bool:
    """An owner's edit waits for an officer when any territory of the structure asks for it."""
    return any(s.moderate_owner_edits for s in _settings_of(structure))


def imports_need_review(commune) -> bool:
    """An imported entry waits for an officer when a territory of its commune asks for it."""
    if commune is None:
        return False
    return DirectorySettings.objects.filter(territory__perimeter__commune=commune, review_imports=True).exists()


def _log(structure, transition, from_status, to_status, by=None, reason=""):
    ModerationLog.objects.create(
        structure=structure, transition=transition, from_status=from_status, to_status=to_status, by=by, reason=reason
    )


def _transition(*, structure, transition, by, reason: str = "") -> Structure:
    """Moves a structure along the workflow. Locks the row (``select_for_update``) so that two officers cannot
    decide on it at the same time; the second one gets :class:`TransitionNotAllowed`."""
    sources, target = TRANSITIONS[transition]
    locked = Structure.objects.select_for_update(of=("self",)).get(pk=structure.pk)
    if locked.status not in sources:
        raise TransitionNotAllowed(
            f"« {Transition(transition).label} » impossible depuis le statut « {locked.get_status_display()} »."
        )
    previous = locked.status
    locked.status = target
    fields = ["status", "updated_at"]
    if transition == Transition.REJECT:
        locked.rejection_reason = reason
        fields.append("rejection_reason")
    if transition == Transition.PUBLISH and previous == Status.PENDING and locked.ess_source == EssSource.DECLARED:
        locked.verified_at = timezone.now()
        fields.append("verified_at")
    locked.save(update_fields=fields)
    _log(locked, transition, previous, target, by, reason)
    structures_changed([locked.pk])
    structure.status = locked.status
    structure.rejection_reason = locked.rejection_reason
    return locked


def _set_labels_and_sectors(structure, *, labels=None, sectors=None, source=""):
    if sectors is not None:
        structure.sectors.set(sectors)
    if labels is not None:
        labels = set(labels)
        structure.labels.exclude(label__in=labels).delete()
        existing = set(structure.labels.values_list("label", flat=True))
        StructureLabel.objects.bulk_create(
            [StructureLabel(structure=structure, label=label, source=source) for label in labels - existing]
        )


@transaction.atomic
def structure_submit(
    *, data: dict, sectors=(), labels=(), by=None, submitter_email: str = "", publish: bool = False
) -> Structure:
    """« Référencer ma structure »: a new entry declared by its people, waiting for moderation (or published at
    once when an officer creates it, ``publish=True``)."""
    structure = Structure(**data)
    structure.ess_source = data.get("ess_source") or EssSource.DECLARED
    structure.ess_source_date = timezone.localdate()
    structure.status = Status.PUBLISHED if publish else Status.PENDING
    structure.created_by = by if by is not None and by.is_authenticated else None
    structure.submitter_email = submitter_email or (by.email if structure.created_by else "")
    structure.slug = unique_slug(structure.name, structure.commune)
    if structure.commune and structure.lat is None:
        structure.lat, structure.lon = structure.commune.lat, structure.commune.lon
    structure.provenance = {
        name: {"source": "declared", "date": timezone.localdate().isoformat()}
        for name in EDITABLE_FIELDS
        if data.get(name) not in (None, "")
    }
    structure.save()
    _set_labels_and_sectors(structure, labels=labels, sectors=sectors, source="déclaré par la structure")
    _log(structure, Transition.PUBLISH if publish else Transition.SUBMIT, "", structure.status, structure.created_by)
    structures_changed([structure.pk])
    return structure


def _mail_on_commit(*, subject: str, body: str, to: str) -> None:
    if not to:
        return

    def send():
        try:
            send_mail(subject, body, None, [to])
        except Exception:
            logger.exception("Mail to %s failed", to)

    transaction.on_commit(send)


def _contact_of(structure) -> str:
    if structure.submitter_email:
        return structure.submitter_email
    return structure.created_by.email if structure.created_by_id else ""


@transaction.atomic
def structure_publish(*, structure, by) -> Structure:
    """An officer accepts a submitted (or previously refused) entry: it becomes public."""
    locked = _transition(structure=structure, transition=Transition.PUBLISH, by=by)
    _mail_on_commit(
        subject=f"Votre structure « {locked.display_name} » est publiée",
        body=f"Bonjour,\n\nLa fiche de « {locked.display_name} » est désormais publiée dans l'annuaire de l'ESS.\n",
        to=_contact_of(locked),
    )
    return locked


@transaction.atomic
def structure_reject(*, structure, by, reason: str) -> Structure:
    """An officer refuses a submitted entry, with a reason mailed to the person who submitted it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(
            "Le motif du refus est obligatoire : il est envoyé à la personne qui a référencé la structure."
        )
    locked = _transition(structure=structure, transition=Transition.REJECT, by=by, reason=reason)
    _mail_on_commit(
        subject=f"Votre demande de référencement de « {locked.display_name} »",
        body=(
            f"Bonjour,\n\nLa fiche de « {locked.display_name} » n'a pas été publiée dans l'annuaire de l'ESS.\n\n"
            f"Motif : {reason}\n\nVous pouvez répondre à ce message pour en parler avec le service ESS.\n"
        ),
        to=_contact_of(locked),
    )
    return locked


@transaction.atomic
def structure_archive(*, structure, by, reason: str = "") -> Structure:
    """An entry that closed or left the ESS leaves the public directory (kept for history)."""
    return _transition(structure=structure, transition=Transition.ARCHIVE, by=by, reason=reason)


@transaction.atomic
def structure_restore(*, structure, by) -> Structure:
    return _transition(structure=structure, transition=Transition.RESTORE, by=by)


MERGE_FILL_FIELDS = [
    "usual_name",
    "siren",
    "siret",
    "rna",
    "legal_form",
    "naf_code",
    "naf_label",
    "address",
    "postcode",
    "description",
    "website",
    "email",
    "phone",
    "opening_hours",
    "accessibility",
    "lat",
    "lon",
    "commune",
]


@transaction.atomic
def structure_merge(*, duplicate, into, by) -> Structure:
    """Two entries are the same structure: ``into`` keeps its page and takes what it lacked from ``duplicate``
    (numbers, contacts, labels, sectors, owners); ``duplicate`` is archived and points to ``into``.
    Locks both rows."""
    if duplicate.pk == into.pk:
        raise ValueError("Une structure ne peut pas être fusionnée avec elle-même.")
    locked = {
        s.pk: s for s in Structure.objects.select_for_update(of=("self",)).filter(pk__in=[duplicate.pk, into.pk])
    }
    dup, target = locked[duplicate.pk], locked[into.pk]
    if target.status == Status.ARCHIVED:
        raise TransitionNotAllowed("On ne fusionne pas dans une fiche archivée.")
    changed = []
    siret = dup.siret
    for name in MERGE_FILL_FIELDS:
        if getattr(target, name) in (None, "") and getattr(dup, name) not in (None, ""):
            if name == "siret":
                continue  # moved after the duplicate lets it go (SIRET is unique)
            setattr(target, name, getattr(dup, name))
            changed.append(name)
    if not target.siret and siret:
        dup.siret = None
        dup.save(update_fields=["siret"])
        target.siret = siret
        changed.append("siret")
    target.save()
    _set_labels_and_sectors(
        target,
        labels=set(target.labels.values_list("label", flat=True)) | set(dup.labels.values_list("label", flat=True)),
        sectors=set(target.sectors.all()) | set(dup.sectors.all()),
        source=f"fusion avec {dup.slug}",
    )
    for claim in dup.claims.exclude(status=RequestStatus.REJECTED):
        if not target.claims.filter(user=claim.user).exclude(status=RequestStatus.REJECTED).exists():
            claim.structure = target
            claim.save(update_fields=["structure", "updated_at"])
    dup.merged_into = target
    dup.save(update_fields=["merged_into", "updated_at"])
    _transition(structure=dup, transition=Transition.MERGE, by=by, reason=f"doublon de {target.slug}")
    structures_changed([target.pk])
    return target


def find_duplicates(structure, *, limit: int = 10) -> list[tuple[Structure, str]]:
    """Entries that may be the same structure: same SIRET, same SIREN and commune, or a name that reads almost
    the same in the same commune (typos, accents, « Association » prefixes)."""
    found = {}
    others = Structure.objects.exclude(pk=structure.pk).exclude(status=Status.ARCHIVED)
    if structure.siret:
        for s in others.filter(siret=structure.siret):
            found[s.pk] = (s, "même SIRET")
    if structure.rna:
        for s in others.filter(rna=structure.rna):
            found.setdefault(s.pk, (s, "même numéro RNA"))
    if structure.commune_id:
        mine = _comparable(structure.name)
        mine_usual = _comparable(structure.usual_name) if structure.usual_name else None
        candidates = others.filter(commune_id=structure.commune_id).only("id", "name", "usual_name", "slug", "status")
        for s in candidates[:2000]:
            if s.pk in found:
                continue
            theirs = [_comparable(s.name)] + ([_comparable(s.usual_name)] if s.usual_name else [])
            ratio = max(difflib.SequenceMatcher(None, a, b).ratio() for a in [mine, mine_usual] if a for b in theirs)
            if ratio >= 0.85:
                found[s.pk] = (s, "nom très proche dans la même commune")
    return list(found.values())[:limit]


def _comparable(name: str) -> str:
    words = [w for w in fold(name).replace("-", " ").replace("'", " ").split() if w not in NAME_NOISE]
    return " ".join(words)


NAME_NOISE = {"association", "asso", "la", "le", "les", "de", "du", "des", "l", "d", "et"}


def _apply_changes(structure, data: dict, *, source: str, by) -> list[str]:
    changed = []
    today = timezone.localdate().isoformat()
    provenance = dict(structure.provenance or {})
    for name, value in data.items():
        if name not in EDITABLE_FIELDS + ["commune_id", "lat", "lon"]:
            continue
        if getattr(structure, name) != value:
            setattr(structure, name, value)
            provenance[name] = {"source": source, "date": today}
            changed.append(name)
    structure.provenance = provenance
    structure.verified_at = timezone.now()
    structure.save()
    return changed


@transaction.atomic
def structure_update(*, structure, data: dict, by, sectors=None, labels=None) -> str:
    """A structure's page is edited by its owner or an officer. An officer's edit applies at once; an owner's
    edit too, unless a territory of the structure asks to moderate owners' edits: then it waits as a
    :class:`StructureChange`. Returns ``"applied"`` or ``"pending"``."""
    moderator = can_moderate_structure(by, structure)
    if not moderator and owner_edits_need_review(structure):
        payload = {k: v for k, v in data.items() if k in EDITABLE_FIELDS}
        if sectors is not None:
            payload["sectors"] = sorted(s.pk for s in sectors)
        StructureChange.objects.create(structure=structure, data=payload, by=by)
        return "pending"
    locked = Structure.objects.select_for_update(of=("self",)).get(pk=structure.pk)
    _apply_changes(locked, data, source="officer" if moderator else "owner", by=by)
    _set_labels_and_sectors(locked, sectors=sectors, labels=labels if moderator else None)
    structures_changed([locked.pk])
    return "applied"


@transaction.atomic
def change_approve(*, change, by) -> None:
    """An officer accepts an owner's proposed edit: it is applied as the owner wrote it."""
    change = StructureChange.objects.select_for_update(of=("self",)).get(pk=change.pk)
    if change.status != RequestStatus.PENDING:
        raise TransitionNotAllowed("Cette modification a déjà été traitée.")
    data = dict(change.data)
    sector_ids = data.pop("sectors", None)
    locked = Structure.objects.select_for_update(of=("self",)).get(pk=change.structure_id)
    _apply_changes(locked, data, source="owner", by=by)
    if sector_ids is not None:
        locked.sectors.set(Sector.objects.filter(pk__in=sector_ids))
    change.status = RequestStatus.APPROVED
    change.decided_by = by
    change.save(update_fields=["status", "decided_by", "updated_at"])
    structures_changed([locked.pk])


@transaction.atomic
def change_reject(*, change, by, reason: str) -> None:
    change = StructureChange.objects.select_for_update(of=("self",)).get(pk=change.pk)
    if change.status != RequestStatus.PENDING:
        raise TransitionNotAllowed("Cette modification a déjà été traitée.")
    change.status = RequestStatus.REJECTED
    change.decided_by = by
    change.reason = reason
    change.save(update_fields=["status", "decided_by", "reason", "updated_at"])
    _mail_on_commit(
        subject=f"Modification de la fiche « {change.structure.display_name} »",
        body=f"Bonjour,\n\nVotre modification n'a pas été retenue.\n\nMotif : {reason}\n",
        to=change.by.email if change.by_id else "",
    )


@transaction.atomic
def claim_create(*, structure, user, role: str, message: str = "") -> StructureClaim:
    """A person asks to manage a structure's page (one open request per person and structure)."""
    existing = StructureClaim.objects.filter(
        structure=structure, user=user, status__in=[RequestStatus.PENDING, RequestStatus.APPROVED]
    ).first()
    if existing:
        return existing
    return StructureClaim.objects.create(structure=structure, user=user, role=role, message=message)


@transaction.atomic
def claim_approve(*, claim, by) -> StructureClaim:
    claim = StructureClaim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if claim.status != RequestStatus.PENDING:
        raise TransitionNotAllowed("Cette demande a déjà été traitée.")
    claim.status = RequestStatus.APPROVED
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _mail_on_commit(
        subject=f"Vous gérez la fiche « {claim.structure.display_name} »",
        body="Bonjour,\n\nVotre demande est acceptée : vous pouvez mettre à jour la fiche de votre structure.\n",
        to=claim.user.email,
    )
    return claim


@transaction.atomic
def claim_reject(*, claim, by, reason: str) -> StructureClaim:
    claim = StructureClaim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
    if claim.status != RequestStatus.PENDING:
        raise TransitionNotAllowed("Cette demande a déjà été traitée.")
    claim.status = RequestStatus.REJECTED
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.reason = reason
    claim.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    _mail_on_commit(
        subject=f"Votre demande de gestion de la fiche « {claim.structure.display_name} »",
        body=f"Bonjour,\n\nVotre demande n'a pas été acceptée.\n\nMotif : {reason}\n",
        to=claim.user.email,
    )
    return claim


@transaction.atomic
def report_create(*, structure, message: str, email: str = "") -> ErrorReport:
    """« Signaler une erreur » on a public page: it lands in the moderation queue of the structure's territory."""
    return ErrorReport.objects.create(structure=structure, message=message.strip(), email=email)


@transaction.atomic
def report_close(*, report, by) -> ErrorReport:
    report.status = RequestStatus.CLOSED
    report.closed_by = by
    report.save(update_fields=["status", "closed_by", "updated_at"])
    return report


@transaction.atomic
def structure_confirm(*, structure, by) -> None:
    """Somebody checked the whole page: its freshness date (« à jour le ») moves to today."""
    Structure.objects.filter(pk=structure.pk).update(verified_at=timezone.now(), updated_at=timezone.now())
    structures_changed([structure.pk])


@transaction.atomic
def directory_settings_update(*, territory, by, **values) -> DirectorySettings:
    settings_ = directory_settings_for(territory)
    for name, value in values.items():
        setattr(settings_, name, value)
    settings_.save()
    return settings_

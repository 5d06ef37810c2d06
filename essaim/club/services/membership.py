"""Writes of the club's membership (seed 004): the club itself (created by the territory's team, informal then an
association with its RNA and its bureau), its facilitators, the charter's versions, candidacies (sponsored by a
member or not) and their decision, renewals, the member's profile and people, and the daily renewal run.

Every function is keyword-only, atomic, and raises ``ValidationError`` with a French message. Mails leave after the
commit through the tasks of ``essaim.club.tasks.membership``. Guards that must hold under concurrent requests are
database constraints (one membership per club and structure, one acceptance per member and version, one version
number per club) or conditional UPDATEs that move a row only from the state it was read in (a decision on a
candidacy, a renewal, the renewal reminder): whoever comes second is refused, never applied twice."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from essaim.accounts.enums import Role
from essaim.club.enums import BureauRole, ClubRole, ClubStatus, MemberStatus
from essaim.club.models import (
    BureauSeat,
    CharterAcceptance,
    CharterVersion,
    Club,
    ClubStaff,
    Member,
    MemberPerson,
    Renewal,
    Skill,
)
from essaim.core.identifiers import validate_rna

RENEWAL_WINDOW_DAYS = 60
REMINDER_DAYS = 30
MAX_MEMBERSHIP_MONTHS = 60


def _tasks():
    from essaim.club.tasks import membership as tasks

    return tasks


def _mail(name: str, *args) -> None:
    """Queue the task ``name`` of the membership's mails once the transaction is committed."""
    transaction.on_commit(lambda: getattr(_tasks(), name).enqueue(*args))


# --- the club ------------------------------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "club"
    slug, n = base, 2
    while Club.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def club_create(*, territory, name: str, description: str = "", founded_on=None, email: str = "", by=None) -> Club:
    """The territory's team opens a club for its territory (informal to begin with)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError("Indiquez le nom du club.")
    return Club.objects.create(
        territory=territory,
        slug=_unique_slug(name),
        name=name,
        description=description,
        founded_on=founded_on,
        email=email,
    )


@transaction.atomic
def club_update(
    *,
    club: Club,
    name: str,
    description: str,
    email: str,
    membership_months: int,
    status: str,
    rna: str = "",
    association_since=None,
    by=None,
) -> Club:
    """The club's admins set its name, presentation, contact, membership length and status. An association needs
    its RNA number (``W`` and 9 digits); a club never goes back from association to informal."""
    rna = (rna or "").strip().upper()
    if status not in ClubStatus.values:
        raise ValidationError("Statut inconnu.")
    if club.status == ClubStatus.ASSOCIATION and status == ClubStatus.INFORMAL:
        raise ValidationError("Une association ne redevient pas un groupement informel.")
    if not 1 <= int(membership_months) <= MAX_MEMBERSHIP_MONTHS:
        raise ValidationError(f"Une adhésion dure de 1 à {MAX_MEMBERSHIP_MONTHS} mois.")
    if status == ClubStatus.ASSOCIATION:
        if not rna:
            raise ValidationError("Indiquez le numéro RNA de l'association.")
        validate_rna(rna)
    club.name = (name or "").strip() or club.name
    club.description = description
    club.email = email
    club.membership_months = membership_months
    club.status = status
    club.rna = rna if status == ClubStatus.ASSOCIATION else ""
    club.association_since = association_since if status == ClubStatus.ASSOCIATION else None
    club.save()
    return club


@transaction.atomic
def bureau_seat_set(*, club: Club, role: str, person_name: str, member=None, since=None, by=None) -> BureauSeat:
    """One person per seat of the association's bureau (president, treasurer…): setting a seat replaces its
    holder."""
    if not club.is_association:
        raise ValidationError("Le bureau existe une fois le club constitué en association.")
    if role not in BureauRole.values:
        raise ValidationError("Fonction inconnue.")
    person_name = (person_name or "").strip()
    if not person_name:
        raise ValidationError("Indiquez le nom de la personne.")
    if member is not None and member.club_id != club.pk:
        raise ValidationError("Cette structure n'est pas membre du club.")
    seat, _ = BureauSeat.objects.update_or_create(
        club=club, role=role, defaults={"person_name": person_name, "member": member, "since": since}
    )
    return seat


@transaction.atomic
def bureau_seat_remove(*, seat: BureauSeat, by=None) -> None:
    seat.delete()


def _user_by_email(email: str):
    user = get_user_model().objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        raise ValidationError("Aucun compte actif ne répond à cette adresse : la personne doit d'abord en créer un.")
    return user


@transaction.atomic
def staff_add(*, club: Club, email: str, role: str = ClubRole.FACILITATOR, by=None) -> ClubStaff:
    """Name a facilitator (or a club admin): a person of an active member structure, or an officer of the club's
    territory (seed 004's club is run by its members; the territory's officer may help)."""
    from essaim.accounts.models import Membership

    if role not in ClubRole.values:
        raise ValidationError("Rôle inconnu.")
    user = _user_by_email(email)
    is_member_person = MemberPerson.objects.filter(
        user=user, member__club=club, member__status=MemberStatus.ACTIVE
    ).exists()
    is_officer = Membership.objects.filter(
        user=user, territory=club.territory, role__in=(Role.OFFICER, Role.ADMIN)
    ).exists()
    if not (is_member_person or is_officer):
        raise ValidationError(
            "Seule une personne d'une structure membre ou une personne de l'équipe du territoire peut animer le club."
        )
    staff, created = ClubStaff.objects.get_or_create(club=club, user=user, defaults={"role": role})
    if not created and staff.role != role:
        staff.role = role
        staff.save(update_fields=["role", "updated_at"])
    return staff


@transaction.atomic
def staff_remove(*, staff: ClubStaff, by=None) -> None:
    staff.delete()


# --- the charter ---------------------------------------------------------------------------------------------------


@transaction.atomic
def charter_version_create(
    *, club: Club, text: str, adopted_on: datetime.date, summary_of_changes: str = "", by=None, site_url: str = ""
) -> CharterVersion:
    """A new version of the charter, numbered after the last one (the unique (club, number) constraint refuses a
    second version taking the same number at the same moment). Every active member is asked to accept it again."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("Le texte de la charte est vide.")
    if adopted_on is None:
        raise ValidationError("Indiquez la date d'adoption.")
    current = club.current_charter()
    if current is not None and not summary_of_changes.strip():
        raise ValidationError("Dites en quelques mots ce qui change par rapport à la version précédente.")
    number = (club.charter_versions.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            version = CharterVersion.objects.create(
                club=club, number=number, text=text, adopted_on=adopted_on, summary_of_changes=summary_of_changes
            )
    except IntegrityError as exc:
        raise ValidationError("Une autre version vient d'être enregistrée : rechargez la page.") from exc
    if current is not None:
        _mail("send_charter_version", version.pk, site_url)
    return version


@transaction.atomic
def charter_accept(*, member: Member, version: CharterVersion, by) -> CharterAcceptance:
    """A person of the member accepts a version of the charter (once: accepting again changes nothing)."""
    if version.club_id != member.club_id:
        raise ValidationError("Cette charte n'est pas celle du club.")
    acceptance, _ = CharterAcceptance.objects.get_or_create(
        member=member, version=version, defaults={"accepted_by": by}
    )
    return acceptance


def has_accepted(member: Member, version) -> bool:
    return version is None or member.charter_acceptances.filter(version=version).exists()


# --- joining -------------------------------------------------------------------------------------------------------


def claimed_structures(user, club):
    """The structures of the directory in the club's territory whose page the person manages (an approved claim):
    those the person may speak for."""
    from essaim.directory.enums import RequestStatus
    from essaim.directory.models import Structure

    if not (user and user.is_authenticated):
        return Structure.objects.none()
    return (
        Structure.objects.in_territory(club.territory)
        .filter(claims__user=user, claims__status=RequestStatus.APPROVED)
        .distinct()
        .order_by("name")
    )


@transaction.atomic
def member_apply(
    *,
    club: Club,
    structure,
    user,
    motivation: str = "",
    sponsor: Member | None = None,
    accept_charter: bool,
    charter_version: CharterVersion | None = None,
    site_url: str = "",
) -> Member:
    """A person who speaks for a structure of the territory asks to join: a candidate ``Member`` with its person
    and its acceptance of the charter's current version. A structure refused or gone may apply again; one already
    candidate or member may not (the unique (club, structure) constraint holds under concurrent requests). The
    facilitators and the sponsor are told by mail."""
    if not claimed_structures(user, club).filter(pk=structure.pk).exists():
        raise ValidationError("Vous ne gérez pas la fiche de cette structure dans l'annuaire du territoire.")
    current = club.current_charter()
    if current is None:
        raise ValidationError("Le club n'a pas encore de charte : les adhésions ouvriront avec elle.")
    if charter_version is not None and charter_version.pk != current.pk:
        raise ValidationError("La charte a changé pendant votre lecture : lisez sa nouvelle version.")
    if not accept_charter:
        raise ValidationError("Pour adhérer, acceptez la charte du club.")
    if sponsor is not None and (sponsor.club_id != club.pk or sponsor.status != MemberStatus.ACTIVE):
        raise ValidationError("Le parrain choisi n'est pas un membre actif du club.")
    if sponsor is not None and sponsor.structure_id == structure.pk:
        raise ValidationError("Une structure ne se parraine pas elle-même.")
    fields = {
        "status": MemberStatus.CANDIDATE,
        "sponsor": sponsor,
        "motivation": (motivation or "").strip(),
        "applied_by": user,
        "decided_by": None,
        "decided_at": None,
        "refusal_reason": "",
        "left_on": None,
    }
    existing = Member.objects.filter(club=club, structure=structure).first()
    if existing is not None:
        again = Member.objects.filter(pk=existing.pk, status__in=(MemberStatus.REFUSED, MemberStatus.LEFT))
        if not again.update(**fields, updated_at=timezone.now()):
            if existing.status == MemberStatus.CANDIDATE:
                raise ValidationError("Cette structure a déjà une candidature en attente.")
            raise ValidationError("Cette structure est déjà membre du club : renouvelez son adhésion si besoin.")
        member = Member.objects.get(pk=existing.pk)
    else:
        try:
            with transaction.atomic():
                member = Member.objects.create(club=club, structure=structure, **fields)
        except IntegrityError as exc:
            raise ValidationError("Cette structure a déjà une candidature en attente.") from exc
    MemberPerson.objects.get_or_create(member=member, user=user)
    charter_accept(member=member, version=current, by=user)
    _mail("send_member_mail", member.pk, "applied", site_url)
    return member


@transaction.atomic
def member_approve(*, member: Member, by, today: datetime.date | None = None, site_url: str = "") -> Member:
    """A facilitator approves a candidacy: the member is active from today for the club's membership length. A
    conditional UPDATE from the candidate state: two facilitators deciding at once decide once."""
    today = today or timezone.localdate()
    expires = member.next_expiry(today)
    moved = Member.objects.filter(pk=member.pk, status=MemberStatus.CANDIDATE).update(
        status=MemberStatus.ACTIVE,
        joined_on=today,
        expires_on=expires,
        decided_by=by,
        decided_at=timezone.now(),
        renewal_reminded_at=None,
        updated_at=timezone.now(),
    )
    if not moved:
        raise ValidationError("Cette candidature a déjà été traitée.")
    member.refresh_from_db()
    _mail("send_member_mail", member.pk, "approved", site_url)
    return member


@transaction.atomic
def member_refuse(*, member: Member, by, reason: str, site_url: str = "") -> Member:
    """A facilitator refuses a candidacy, with a reason the applicant reads in the mail."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Indiquez le motif du refus : il est envoyé à la structure.")
    moved = Member.objects.filter(pk=member.pk, status=MemberStatus.CANDIDATE).update(
        status=MemberStatus.REFUSED,
        refusal_reason=reason,
        decided_by=by,
        decided_at=timezone.now(),
        updated_at=timezone.now(),
    )
    if not moved:
        raise ValidationError("Cette candidature a déjà été traitée.")
    member.refresh_from_db()
    _mail("send_member_mail", member.pk, "refused", site_url)
    return member


def sponsor_invite(*, sponsor: Member, structure, email: str, by, site_url: str = "") -> None:
    """A member sponsors a structure of the directory: its contact gets a mail with the join link, the sponsor
    prefilled. Nothing is stored: the candidacy itself records the sponsor."""
    if sponsor.status != MemberStatus.ACTIVE:
        raise ValidationError("Seul un membre actif parraine une structure.")
    if Member.objects.filter(
        club=sponsor.club_id, structure=structure, status__in=(MemberStatus.ACTIVE, MemberStatus.CANDIDATE)
    ).exists():
        raise ValidationError("Cette structure est déjà membre du club, ou sa candidature est en attente.")
    transaction.on_commit(
        lambda: _tasks().send_sponsor_invitation.enqueue(sponsor.pk, structure.pk, email, by.pk, site_url)
    )


# --- renewals ------------------------------------------------------------------------------------------------------


def can_renew(member: Member, today: datetime.date | None = None) -> bool:
    """Within 60 days of the expiry, or once lapsed."""
    today = today or timezone.localdate()
    if member.status == MemberStatus.LAPSED:
        return True
    if member.status != MemberStatus.ACTIVE or member.expires_on is None:
        return False
    return member.expires_on - today <= datetime.timedelta(days=RENEWAL_WINDOW_DAYS)


@transaction.atomic
def member_renew(*, member: Member, by, today: datetime.date | None = None) -> Renewal:
    """Renew a membership for the club's length: from its expiry when still active (no day lost), from today when
    lapsed. A conditional UPDATE on the expiry read: a second click at the same moment is refused, the year is
    never added twice."""
    today = today or timezone.localdate()
    if not can_renew(member, today):
        raise ValidationError(f"Le renouvellement ouvre {RENEWAL_WINDOW_DAYS} jours avant la fin de l'adhésion.")
    start = member.expires_on if member.status == MemberStatus.ACTIVE and member.expires_on else today
    valid_until = member.next_expiry(start)
    moved = Member.objects.filter(pk=member.pk, status=member.status, expires_on=member.expires_on).update(
        status=MemberStatus.ACTIVE, expires_on=valid_until, renewal_reminded_at=None, updated_at=timezone.now()
    )
    if not moved:
        raise ValidationError("Cette adhésion vient d'être renouvelée.")
    member.refresh_from_db()
    return Renewal.objects.create(member=member, renewed_on=today, valid_until=valid_until, by=by)


def member_leave(*, member: Member, by, today: datetime.date | None = None) -> Member:
    """A member structure leaves the club (by its own people's choice): it no longer appears publicly, nor do its
    listings; its history (meetings, answers, practice sheets) stays. A conditional UPDATE: a second click finds it
    gone already."""
    today = today or timezone.localdate()
    moved = Member.objects.filter(pk=member.pk, status__in=(MemberStatus.ACTIVE, MemberStatus.LAPSED)).update(
        status=MemberStatus.LEFT, left_on=today, updated_at=timezone.now()
    )
    if not moved:
        raise ValidationError("Cette structure a déjà quitté le club.")
    member.refresh_from_db()
    return member


def claim_renewal_reminder(member_id: int, *, today: datetime.date, now=None) -> bool:
    """Marks a member as reminded if it still needs it (active, ending within 30 days, not reminded): a conditional
    UPDATE, so that two runs of the daily command never both send the mail."""
    now = now or timezone.now()
    return bool(
        Member.objects.filter(
            pk=member_id,
            status=MemberStatus.ACTIVE,
            renewal_reminded_at__isnull=True,
            expires_on__lte=today + datetime.timedelta(days=REMINDER_DAYS),
            expires_on__gte=today,
        ).update(renewal_reminded_at=now)
    )


def renewals_run(*, today: datetime.date | None = None, site_url: str = "") -> dict:
    """The daily run (``club_renewals``): reminds the members whose membership ends within 30 days (once each), and
    moves the members past their expiry to lapsed. Idempotent: a second run the same day does nothing."""
    today = today or timezone.localdate()
    lapsed = Member.objects.filter(status=MemberStatus.ACTIVE, expires_on__lt=today).update(
        status=MemberStatus.LAPSED, updated_at=timezone.now()
    )
    due = Member.objects.filter(
        status=MemberStatus.ACTIVE,
        renewal_reminded_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=REMINDER_DAYS),
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(due):
        if claim_renewal_reminder(pk, today=today):
            reminded += 1
            _tasks().send_member_mail.enqueue(pk, "renewal_reminder", site_url)
    return {"reminded": reminded, "lapsed": lapsed}


# --- the member's profile and people -------------------------------------------------------------------------------


def _skill_for(name: str) -> Skill:
    name = " ".join(name.split())[:100]
    slug = slugify(name)[:100]
    if not slug:
        raise ValidationError(f"« {name} » n'est pas une compétence lisible.")
    skill = Skill.objects.filter(Q(slug=slug) | Q(name__iexact=name)).first()
    if skill is None:
        try:
            with transaction.atomic():
                skill = Skill.objects.create(name=name[:1].upper() + name[1:], slug=slug)
        except IntegrityError:
            skill = Skill.objects.get(slug=slug)
    return skill


@transaction.atomic
def member_profile_update(
    *, member: Member, skills, new_skills: list[str], offer_summary: str, show_publicly: bool, by
) -> Member:
    """The member's club profile: its skills (from the shared vocabulary, or new ones typed), what it offers, and
    whether it appears on the club's public pages."""
    chosen = list(skills) + [_skill_for(name) for name in new_skills if name.strip()]
    member.offer_summary = (offer_summary or "").strip()
    member.show_publicly = bool(show_publicly)
    member.save(update_fields=["offer_summary", "show_publicly", "updated_at"])
    member.skills.set({skill.pk: skill for skill in chosen}.values())
    return member


@transaction.atomic
def member_person_add(*, member: Member, email: str, function: str = "", by=None) -> MemberPerson:
    """Add a colleague (who has an account) as a person of the member."""
    user = _user_by_email(email)
    person, created = MemberPerson.objects.get_or_create(member=member, user=user, defaults={"function": function})
    if not created:
        raise ValidationError("Cette personne agit déjà pour la structure.")
    return person


def _people_count(member_id: int) -> int:
    return MemberPerson.objects.filter(member_id=member_id).count()


@transaction.atomic
def member_person_remove(*, person: MemberPerson, by=None) -> None:
    """Remove a person of a member, never the last one. The member's row is locked first: two removals at the same
    moment of the two last people leave one."""
    Member.objects.select_for_update(of=("self",)).filter(pk=person.member_id).first()
    if _people_count(person.member_id) <= 1:
        raise ValidationError("Une structure membre garde au moins une personne : ajoutez-en une autre d'abord.")
    MemberPerson.objects.filter(pk=person.pk).delete()

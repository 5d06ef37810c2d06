"""The club and its members (seed 004): a club of one territory, informal then an association with its bureau; its
members are structures of the directory, each with its people; joining means accepting the charter's current
version; a member may sponsor a candidate, which the club's facilitators approve; membership is renewed yearly."""

import datetime

from django.conf import settings
from django.db import models

from essaim.club.enums import BureauRole, ClubRole, ClubStatus, MemberStatus
from essaim.club.querysets import MemberQuerySet
from essaim.core.models import TimeStampedModel


class Club(TimeStampedModel):
    territory = models.ForeignKey(
        "territories.Territory", on_delete=models.CASCADE, related_name="clubs", verbose_name="territoire"
    )
    slug = models.SlugField("identifiant", max_length=80, unique=True)
    name = models.CharField("nom", max_length=200)
    description = models.TextField("présentation", blank=True)
    founded_on = models.DateField("première rencontre le", null=True, blank=True)
    status = models.CharField("statut", max_length=12, choices=ClubStatus.choices, default=ClubStatus.INFORMAL)
    rna = models.CharField("numéro RNA", max_length=10, blank=True, help_text="W suivi de 9 chiffres.")
    association_since = models.DateField("association depuis le", null=True, blank=True)
    email = models.EmailField("e-mail de contact", blank=True)
    membership_months = models.PositiveSmallIntegerField(
        "durée d'une adhésion (mois)", default=12, help_text="L'adhésion se renouvelle à son terme."
    )

    class Meta:
        verbose_name = "club"
        verbose_name_plural = "clubs"
        ordering = ["territory", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ClubStatus.values), name="club_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=ClubStatus.ASSOCIATION) | ~models.Q(rna=""),
                name="club_association_has_rna",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_association(self):
        return self.status == ClubStatus.ASSOCIATION

    def current_charter(self):
        """The charter in force: the highest version adopted."""
        return self.charter_versions.order_by("-number").first()


class CharterVersion(TimeStampedModel):
    """A version of the charter. Versions are kept; adopting a new one asks every member to accept it again."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="charter_versions", verbose_name="club")
    number = models.PositiveSmallIntegerField("version")
    text = models.TextField("texte de la charte")
    adopted_on = models.DateField("adoptée le")
    summary_of_changes = models.TextField("ce qui change", blank=True)

    class Meta:
        verbose_name = "version de la charte"
        verbose_name_plural = "versions de la charte"
        ordering = ["club", "-number"]
        constraints = [models.UniqueConstraint(fields=["club", "number"], name="charter_version_unique")]

    def __str__(self):
        return f"Charte {self.club} v{self.number}"


class Skill(TimeStampedModel):
    """A skill a member offers to the territory (seed 004: "valoriser les compétences de chacun"): a shared
    vocabulary, searchable in the skills directory."""

    name = models.CharField("compétence", max_length=100, unique=True)
    slug = models.SlugField("identifiant", max_length=100, unique=True)

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Member(TimeStampedModel):
    """A structure of the directory in a club. What it shows to the public (its skills, what it offers) is its
    choice: ``show_publicly``."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="members", verbose_name="club")
    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.PROTECT, related_name="club_memberships", verbose_name="structure"
    )
    status = models.CharField("statut", max_length=10, choices=MemberStatus.choices, default=MemberStatus.CANDIDATE)
    sponsor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored",
        verbose_name="parrainé par",
    )
    founder = models.BooleanField("membre fondateur", default=False)
    motivation = models.TextField("motivation de la candidature", blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="candidature déposée par",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    refusal_reason = models.TextField("motif du refus", blank=True)
    joined_on = models.DateField("membre depuis le", null=True, blank=True)
    expires_on = models.DateField("adhésion valable jusqu'au", null=True, blank=True)
    renewal_reminded_at = models.DateTimeField("rappel de renouvellement envoyé le", null=True, blank=True)
    left_on = models.DateField("a quitté le club le", null=True, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="members", verbose_name="compétences")
    offer_summary = models.TextField(
        "ce que nous proposons aux autres", blank=True, help_text="Savoir-faire, services, ce que vous pouvez prêter."
    )
    show_publicly = models.BooleanField(
        "apparaître sur la page publique du club",
        default=True,
        help_text="Votre structure, vos compétences et ce que vous proposez sont visibles de tous.",
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "membre du club"
        verbose_name_plural = "membres du club"
        ordering = ["club", "structure__name"]
        constraints = [
            models.UniqueConstraint(fields=["club", "structure"], name="club_member_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=MemberStatus.values), name="club_member_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["club", "status"], name="club_member_status")]

    def __str__(self):
        return f"{self.structure} ({self.club})"

    @property
    def is_active(self):
        return self.status == MemberStatus.ACTIVE

    def next_expiry(self, from_date: datetime.date) -> datetime.date:
        """The end of a membership started or renewed on ``from_date``."""
        from dateutil.relativedelta import relativedelta

        return from_date + relativedelta(months=self.club.membership_months)


class MemberPerson(TimeStampedModel):
    """A person who acts for a member structure in the club (one or more per member)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="people", verbose_name="membre")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="club_people", verbose_name="personne"
    )
    function = models.CharField("fonction dans la structure", max_length=150, blank=True)

    class Meta:
        verbose_name = "personne d'un membre"
        verbose_name_plural = "personnes des membres"
        ordering = ["member", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["member", "user"], name="club_member_person_unique")]

    def __str__(self):
        return f"{self.user} — {self.member.structure}"


class ClubStaff(TimeStampedModel):
    """A person who runs the club: a facilitator (*animateur·rice*) or a club admin. Often a person of a member
    structure; an officer of the territory may facilitate too."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="staff", verbose_name="club")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="club_roles", verbose_name="personne"
    )
    role = models.CharField("rôle", max_length=12, choices=ClubRole.choices, default=ClubRole.FACILITATOR)

    class Meta:
        verbose_name = "animateur·rice du club"
        verbose_name_plural = "animateur·rices du club"
        ordering = ["club", "role"]
        constraints = [
            models.UniqueConstraint(fields=["club", "user"], name="club_staff_unique"),
            models.CheckConstraint(condition=models.Q(role__in=ClubRole.values), name="club_staff_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class CharterAcceptance(TimeStampedModel):
    """A member accepted a version of the charter (who, when)."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="charter_acceptances", verbose_name="membre"
    )
    version = models.ForeignKey(
        CharterVersion, on_delete=models.PROTECT, related_name="acceptances", verbose_name="version"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="acceptée par"
    )

    class Meta:
        verbose_name = "acceptation de la charte"
        verbose_name_plural = "acceptations de la charte"
        ordering = ["member", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["member", "version"], name="charter_accepted_once")]

    def __str__(self):
        return f"{self.member} — v{self.version.number}"


class Renewal(TimeStampedModel):
    """The log of a member's renewals: one row per year renewed, the figures count them."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="renewals", verbose_name="membre")
    renewed_on = models.DateField("renouvelée le")
    valid_until = models.DateField("jusqu'au")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )

    class Meta:
        verbose_name = "renouvellement d'adhésion"
        verbose_name_plural = "renouvellements d'adhésion"
        ordering = ["member", "-renewed_on"]

    def __str__(self):
        return f"{self.member} — {self.renewed_on}"


class BureauSeat(TimeStampedModel):
    """A seat of the association's bureau (president, treasurer, secretary…) once the club is an association."""

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="bureau", verbose_name="club")
    role = models.CharField("fonction", max_length=16, choices=BureauRole.choices)
    person_name = models.CharField("nom", max_length=150)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="structure membre"
    )
    since = models.DateField("depuis le", null=True, blank=True)

    class Meta:
        verbose_name = "membre du bureau"
        verbose_name_plural = "bureau de l'association"
        ordering = ["club", "role"]
        constraints = [models.UniqueConstraint(fields=["club", "role"], name="bureau_one_per_role")]

    def __str__(self):
        return f"{self.person_name} — {self.get_role_display()}"

"""The support demo (``essaim.support.demo``): idempotent, every stage and referral status present, the partners'
advisers able to sign in, the holder's project linked to their grant application, and every booking on a real slot
of its opening range — alive on any day."""

import datetime

import pytest
from django.core import mail
from django.db.models import Q
from django.utils import timezone

from essaim.accounts.demo import DEMO_PASSWORD, load_demo_accounts
from essaim.accounts.models import User
from essaim.agenda.demo import load_demo_agenda, public_holidays
from essaim.agenda.enums import EventType
from essaim.core.recurrence import occurrences
from essaim.grants.demo import load_demo_grants
from essaim.support.demo import load_demo_support
from essaim.support.enums import HOLDING, BookingStatus, ProjectKind, ProjectStatus, ReferralStatus, Stage
from essaim.support.indicators import support_indicators
from essaim.support.models import (
    Absence,
    Booking,
    Motif,
    NextStep,
    OpeningRange,
    Partner,
    PartnerAdviser,
    Project,
    ProjectApplication,
    Referral,
    ReferralTransition,
    SatisfactionSurvey,
    StageChange,
    SupportPeriod,
)

MODELS = [
    Booking,
    Motif,
    NextStep,
    OpeningRange,
    Partner,
    PartnerAdviser,
    Project,
    Referral,
    ReferralTransition,
    StageChange,
    SupportPeriod,
    SatisfactionSurvey,
]


@pytest.fixture
def loaded(demo):
    """The demos the support demo links to (accounts, agenda, grants), then the support demo."""
    load_demo_accounts(demo)
    load_demo_agenda(territories=demo)
    load_demo_grants(territories=demo)
    mail.outbox.clear()
    result = load_demo_support(territories=demo)
    return demo, result


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def off_slot(booking) -> str:
    """Why a booking is not on a slot of its range (empty when it is): a day of the range's rule, not a public
    holiday, a start on the range's start plus whole motif durations, the motif's length, before the range ends."""
    opening_range = booking.opening_range
    start = timezone.localtime(booking.starts_at)
    first = timezone.make_aware(datetime.datetime.combine(opening_range.first_day, opening_range.start_time))
    day_start = timezone.make_aware(datetime.datetime.combine(start.date(), opening_range.start_time))
    days = (
        occurrences(opening_range.rule, first, opening_range.exdates, start=day_start, end=day_start)
        if opening_range.rule
        else [first]
    )
    duration = datetime.timedelta(minutes=booking.motif.duration_minutes)
    closing = timezone.make_aware(datetime.datetime.combine(start.date(), opening_range.end_time))
    if day_start not in days:
        return f"{start:%d/%m/%Y} n'est pas un jour de la plage"
    if start.date() in public_holidays(start.year):
        return f"{start:%d/%m/%Y} est férié"
    if (start - day_start) % duration or start < day_start:
        return f"{start:%H:%M} n'est pas aligné sur la plage"
    if booking.ends_at - booking.starts_at != duration or booking.ends_at > closing:
        return f"{start:%H:%M} ne tient pas dans la plage"
    away = Absence.objects.filter(
        Q(adviser=booking.adviser) | Q(adviser__isnull=True), starts_at__lt=booking.ends_at, ends_at__gt=start
    )
    if booking.status in HOLDING and booking.starts_at > timezone.now() and away.exists():
        return f"{start:%d/%m/%Y} : la personne est absente"
    return ""


def check_idempotent_and_no_mail(loaded):
    demo, _result = loaded
    before = counts()
    load_demo_support(territories=demo)
    assert counts() == before
    assert mail.outbox == []


def check_projects(loaded):
    demo, result = loaded
    projects = Project.objects.filter(territory=demo["cabbalr"])
    assert result["projects"] == projects.count() == 12
    assert set(projects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(projects.values_list("kind", flat=True)) == set(ProjectKind.values)
    assert projects.filter(kind=ProjectKind.DEVELOPMENT, structure__isnull=False).count() == 2
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert NextStep.objects.filter(project__in=projects).count() == 11
    assert StageChange.objects.filter(project__in=projects).count() >= 12
    assert all(p.holder_email.endswith(".example") for p in projects)


def check_quo_referrals(loaded):
    now = timezone.now()
    ages = sorted((now - r.created_at).days for r in Referral.objects.filter(status=ReferralStatus.QUO))
    assert ages == [10, 25, 50]
    nudged = Referral.objects.filter(status=ReferralStatus.QUO).order_by("-created_at")
    assert [(r.reminded_at is not None, r.escalated_at is not None) for r in nudged] == [
        (True, False),
        (True, True),
        (True, True),
    ]
    taken = Referral.objects.filter(status=ReferralStatus.TAKING_CARE)
    assert taken.filter(taken_by__isnull=True, first_contact_at__isnull=True).count() == 0
    assert ReferralTransition.objects.filter(referral__status=ReferralStatus.DONE).count() == 2 * 3


def check_holder_project(loaded):
    project = Project.objects.get(holder__email="porteur@essaim.example")
    link = ProjectApplication.objects.get(project=project)
    assert link.application.applicant.email == "porteur@essaim.example"
    assert link.application.project_title == project.title == "Ressourcerie des Terrils"
    assert project.bookings.filter(status=BookingStatus.SEEN).count() == 1


def check_closed_project(loaded):
    closed = Project.objects.get(status=ProjectStatus.CLOSED)
    assert closed.closed_at is not None
    assert closed.survey.answered_at > closed.closed_at
    assert closed.survey.rating == 5


def check_partners(loaded):
    advisers = PartnerAdviser.objects.select_related("partner", "user").order_by("user__email")
    assert [(a.user.email, a.partner.kind) for a in advisers] == [
        ("bge@essaim.example", "bge"),
        ("cae@essaim.example", "cae"),
        ("dla@essaim.example", "dla"),
    ]
    assert [a.user.check_password(DEMO_PASSWORD) for a in advisers] == [True, True, True]
    assert [email for email, _what in loaded[1]["accounts"]] == [
        "bge@essaim.example",
        "cae@essaim.example",
        "dla@essaim.example",
    ]


def check_slots(loaded):
    bookings = list(Booking.objects.select_related("opening_range", "motif"))
    assert len(bookings) > 15
    assert [(b.pk, off_slot(b)) for b in bookings if off_slot(b)] == []
    assert Booking.objects.filter(opening_range__isnull=True).count() == 0


def check_bookings(loaded):
    now = timezone.now()
    coming = Booking.objects.filter(status=BookingStatus.BOOKED, starts_at__gt=now)
    assert coming.filter(starts_at__lt=now + datetime.timedelta(days=15)).count() >= 4
    past = set(Booking.objects.filter(starts_at__lt=now).values_list("status", flat=True))
    assert past >= {
        BookingStatus.SEEN,
        BookingStatus.NO_SHOW,
        BookingStatus.EXCUSED,
        BookingStatus.CANCELLED_BY_SERVICE,
    }
    assert Booking.objects.filter(moved_from__isnull=False).count() >= 2
    assert Booking.objects.filter(status=BookingStatus.BOOKED, ends_at__lt=now).count() == 0


def check_quinzaine(loaded):
    period = SupportPeriod.objects.get()
    assert period.campaign is not None
    assert period.campaign.start_date.year == period.starts_on.year
    assert (period.starts_on.month, period.ends_on.month) == (11, 11)
    assert (period.ends_on - period.starts_on).days == 11
    assert period.starts_on > timezone.localdate()
    workshops = list(period.workshops.all())
    assert len(workshops) == 3
    assert {w.event_type for w in workshops} == {EventType.ATELIER}
    sessions = [s for w in workshops for s in w.sessions.all()]
    assert len([s for s in sessions if period.starts_on <= timezone.localdate(s.start) <= period.ends_on]) == 3
    assert period.motifs.count() == 4
    quinzaine = OpeningRange.objects.filter(rule__contains="UNTIL=")
    assert quinzaine.count() == 2


def check_figures(loaded):
    demo, _result = loaded
    (figures,) = support_indicators(territory=demo["cabbalr"], year=timezone.localdate().year)
    assert figures["values"]["projects_followed"] >= 10
    assert figures["values"]["referrals_total"] >= 1


def check_alive_a_month_later(loaded):
    """Loaded again a month later: the bookings then past were received, new ones come in the next days."""
    demo, _result = loaded
    load_demo_support(territories=demo, today=timezone.localdate() + datetime.timedelta(days=12))  # over the absence
    later = timezone.localdate() + datetime.timedelta(days=30)
    load_demo_support(territories=demo, today=later)
    then = timezone.make_aware(datetime.datetime.combine(later, datetime.time(12)))
    assert Booking.objects.filter(status=BookingStatus.BOOKED, ends_at__lt=then).count() == 0
    coming = Booking.objects.filter(
        status__in=HOLDING, starts_at__gt=then, starts_at__lt=then + datetime.timedelta(days=15)
    )
    assert coming.count() >= 4
    assert Project.objects.count() == 12
    assert (
        User.objects.filter(email__in=["bge@essaim.example", "cae@essaim.example", "dla@essaim.example"]).count() == 3
    )


# The demo takes seconds to load: a few tests, each checking several behaviours (each check says which).


def test_a_dozen_projects_at_every_stage_with_every_referral_status_partners_and_the_holders_application(loaded):
    check_projects(loaded)
    check_quo_referrals(loaded)
    check_holder_project(loaded)
    check_closed_project(loaded)
    check_partners(loaded)
    check_figures(loaded)


def test_every_booking_falls_on_a_real_slot_past_and_coming_ones_and_the_quinzaine(loaded):
    check_slots(loaded)
    check_bookings(loaded)
    check_quinzaine(loaded)


def test_the_demo_is_idempotent_sends_no_mail_and_stays_alive_a_month_later(loaded):
    check_idempotent_and_no_mail(loaded)
    check_alive_a_month_later(loaded)
    check_slots(loaded)

"""Who may see and do what with grant applications. Plain functions; each docstring gives the business reason.

Rights are given per territory (``Membership``): the territory of an application is its scheme's.
"""

from essaim.accounts.enums import Role
from essaim.accounts.models import Membership

STAFF_ROLES = (Role.OFFICER, Role.ADMIN)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _role(user, territory):
    if not _active(user):
        return None
    cache = getattr(user, "_grants_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(user=user).values_list("territory_id", "role"))
        user._grants_roles = cache
    return cache.get(territory.pk)


def is_instructor(user, territory) -> bool:
    """The territory's ESS officers and its admin instruct the applications filed with its schemes; nobody
    instructs another territory's files (not even the network admin: these are personal data)."""
    return _role(user, territory) in STAFF_ROLES


def is_commission_member(user, territory) -> bool:
    return _role(user, territory) == Role.COMMISSION


def instructor_territories(user):
    """The territories whose grant files a person instructs."""
    from essaim.territories.models import Territory

    if not _active(user):
        return Territory.objects.none()
    return Territory.objects.filter(memberships__user=user, memberships__role__in=STAFF_ROLES).distinct()


def is_applicant(user, application) -> bool:
    return _active(user) and application.applicant_id == user.pk


def sits_on_a_session_of(user, application) -> bool:
    """A commission member sees an application only if it is on the agenda of a sitting they are called to."""
    if not is_commission_member(user, application.scheme.territory):
        return False
    return application.sessions.filter(members=user).exists()


def can_view_application(user, application) -> bool:
    """The applicant sees their own file; the territory's officers see all of its files; a commission member sees
    the files on the agenda of their sittings. Nobody else, whatever the id they type."""
    if not _active(user):
        return False
    return (
        is_applicant(user, application)
        or is_instructor(user, application.scheme.territory)
        or sits_on_a_session_of(user, application)
    )


def can_view_review(user, application) -> bool:
    """The instruction page (with the private examination grid) is for the officers and the commission members of
    the sitting that examines the file, never for the applicant."""
    if not _active(user):
        return False
    return is_instructor(user, application.scheme.territory) or sits_on_a_session_of(user, application)


def can_edit_application(user, application) -> bool:
    """The applicant fills in their file while it is a draft, or again when pieces were asked for."""
    return is_applicant(user, application) and application.is_editable_by_applicant


def can_instruct(user, application) -> bool:
    """Instructing (assigning, examining, moving the file, messages, agreement, payments) is the officers' job."""
    return is_instructor(user, application.scheme.territory)


def can_write_message(user, application) -> bool:
    """The applicant and the instructing officers talk about the file; a commission member does not."""
    return is_applicant(user, application) or is_instructor(user, application.scheme.territory)


def can_view_session(user, session) -> bool:
    """A sitting's agenda is for the officers of its territory and for the members called to it."""
    territory = session.scheme.territory
    if is_instructor(user, territory):
        return True
    return is_commission_member(user, territory) and session.members.filter(pk=user.pk).exists()


def can_manage_sessions(user, territory) -> bool:
    """Officers prepare the sittings: date, agenda, members called."""
    return is_instructor(user, territory)


def can_record_session(user, session) -> bool:
    """Recording a sitting is the officers' act: the officer is the commission's secretary and writes down its
    opinions; the Bureau's decisions are copied from its deliberations. Commission members read, never record."""
    return is_instructor(user, session.scheme.territory)


def can_create_session(user) -> bool:
    """« Nouvelle séance » is offered to the officers of a territory that runs at least one scheme."""
    from essaim.grants.models import Scheme

    return Scheme.objects.filter(territory__in=instructor_territories(user)).exists()


def can_view_document(user, application, document) -> bool:
    """Documents follow the file, except that a commission member never reads bank details (RIB) nor identity
    documents: the commission judges the project, it does not need them (RGPD minimisation)."""
    from essaim.grants.enums import PRIVATE_DOCUMENT_KINDS

    if not can_view_application(user, application):
        return False
    if document.kind in PRIVATE_DOCUMENT_KINDS:
        return is_applicant(user, application) or is_instructor(user, application.scheme.territory)
    return True


def can_add_siret(user, application) -> bool:
    """The missing SIRET is added before the agreement by the applicant or by the officers who instruct."""
    from essaim.grants.workflow import TRANSITIONS

    if application.state not in TRANSITIONS["add_siret"].sources:
        return False
    return is_applicant(user, application) or is_instructor(user, application.scheme.territory)


def can_justify_balance(user, application) -> bool:
    """The beneficiary justifies the jobs created for the balance; the officers may record it for them."""
    from essaim.grants.enums import PaymentKind
    from essaim.grants.workflow import TRANSITIONS

    if application.state not in TRANSITIONS["justify"].sources:
        return False
    if application.payments.filter(kind=PaymentKind.BALANCE).exists():
        return False
    return is_applicant(user, application) or is_instructor(user, application.scheme.territory)


def can_manage_budget(user, territory) -> bool:
    """The yearly credits are set by the territory's officers and admin, from the budget vote."""
    return is_instructor(user, territory)


def can_view_dashboard(user, territory) -> bool:
    """The credits dashboard (committed, paid, released, remaining; the grants of the year with beneficiaries'
    names and amounts, no personal data) is read by the territory's officers and admin, its elected members
    (read-only, ``territories.perms.can_view_dashboards``) and its commission members."""
    from essaim.territories.perms import can_view_dashboards

    return can_view_dashboards(user, territory) or is_commission_member(user, territory)


def can_export_year(user, territory) -> bool:
    """The year-end export (files, decisions, payments as CSV and XLSX) is the officers' tool."""
    return is_instructor(user, territory)


def can_read_bureau_summary(user, territory) -> bool:
    """The one-page summary is written for the Bureau: its elected members read it as the officers do (those who
    read the dashboards; the officers and the admin are among them)."""
    from essaim.territories.perms import can_view_dashboards

    return can_view_dashboards(user, territory)

"""The support capability's models: advice slots and their bookings (``slots``), the project record and its
follow-up with partners (``projects``)."""

from essaim.support.models.projects import (
    NextStep,
    Project,
    ProjectAccess,
    ProjectApplication,
    ProjectDocument,
    ProjectNote,
    Referral,
    ReferralTransition,
    SatisfactionSurvey,
    StageChange,
)
from essaim.support.models.slots import (
    Absence,
    AdviserFeed,
    Booking,
    Invitation,
    Motif,
    OpeningRange,
    Partner,
    PartnerAdviser,
    SupportPeriod,
    WaitlistEntry,
)

__all__ = [
    "Absence",
    "AdviserFeed",
    "Booking",
    "Invitation",
    "Motif",
    "NextStep",
    "OpeningRange",
    "Partner",
    "PartnerAdviser",
    "Project",
    "ProjectAccess",
    "ProjectApplication",
    "ProjectDocument",
    "ProjectNote",
    "Referral",
    "ReferralTransition",
    "SatisfactionSurvey",
    "StageChange",
    "SupportPeriod",
    "WaitlistEntry",
]

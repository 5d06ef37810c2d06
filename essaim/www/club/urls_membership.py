"""The club's pages — Membership: the clubs, the public page, the public members and skills directory, the charter,
joining (sponsored), the members' space, the member's profile, renewal, the facilitators' approvals and the club's
settings (status, bureau, staff, charter versions).

TEMPORARY: every name points at ``pending`` until this part is built (the part replaces this module)."""

from django.urls import path

from essaim.www.club.pending import pending

urlpatterns = [
    path("", pending, name="index"),
    path("<slug:club>/", pending, name="club"),
    path("<slug:club>/membres/", pending, name="members"),
    path("<slug:club>/competences/", pending, name="skills"),
    path("<slug:club>/charte/", pending, name="charter"),
    path("<slug:club>/adherer/", pending, name="join"),
    path("<slug:club>/espace/", pending, name="space"),
    path("<slug:club>/espace/charte/", pending, name="charter_accept"),
    path("<slug:club>/espace/membres/<int:member>/", pending, name="profile"),
    path("<slug:club>/espace/membres/<int:member>/renouveler/", pending, name="renew"),
    path("<slug:club>/espace/parrainer/", pending, name="sponsor"),
    path("<slug:club>/gestion/", pending, name="manage"),
    path("<slug:club>/gestion/candidatures/<int:member>/", pending, name="candidate"),
    path("<slug:club>/gestion/club/", pending, name="settings"),
    path("<slug:club>/gestion/charte/", pending, name="charter_new"),
]

"""The club's pages — Membership: the clubs, the public page, the public members and skills directory, the charter,
joining (sponsored), the members' space, the member's profile, renewal, the facilitators' approvals and the club's
settings (status, bureau, staff, charter versions), and the creation of a club by the territory's team."""

from django.urls import path

from essaim.www.club import membership, membership_manage

urlpatterns = [
    path("", membership.index, name="index"),
    path("gestion/<slug:territory>/nouveau/", membership_manage.create, name="create"),
    path("<slug:club>/", membership.club_page, name="club"),
    path("<slug:club>/membres/", membership.members_page, name="members"),
    path("<slug:club>/competences/", membership.skills_page, name="skills"),
    path("<slug:club>/charte/", membership.charter_page, name="charter"),
    path("<slug:club>/adherer/", membership.join, name="join"),
    path("<slug:club>/espace/", membership.space, name="space"),
    path("<slug:club>/espace/charte/", membership.charter_accept, name="charter_accept"),
    path("<slug:club>/espace/membres/<int:member>/", membership.profile, name="profile"),
    path("<slug:club>/espace/membres/<int:member>/renouveler/", membership.renew, name="renew"),
    path("<slug:club>/espace/parrainer/", membership.sponsor, name="sponsor"),
    path("<slug:club>/gestion/", membership_manage.manage, name="manage"),
    path("<slug:club>/gestion/membres.csv", membership_manage.export, name="membership_export"),
    path("<slug:club>/gestion/candidatures/<int:member>/", membership_manage.candidate, name="candidate"),
    path("<slug:club>/gestion/club/", membership_manage.settings_page, name="settings"),
    path("<slug:club>/gestion/charte/", membership_manage.charter_new, name="charter_new"),
]

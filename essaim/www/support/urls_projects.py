"""URL patterns of the project record (see urls.py): the officers' boards, the record and its actions, the
referrals, the partner's board and the holder's satisfaction survey. The fixed words come before ``<slug>``."""

from django.urls import path

from essaim.www.support import projects, referrals

urlpatterns = [
    path("suivi/projets/<int:pk>/", projects.project, name="project"),
    path("suivi/projets/<int:pk>/etape/", projects.project_stage, name="project_stage"),
    path("suivi/projets/<int:pk>/cloture/", projects.project_close, name="project_close"),
    path("suivi/projets/<int:pk>/reouverture/", projects.project_reopen, name="project_reopen"),
    path("suivi/projets/<int:pk>/notes/", projects.project_note, name="project_note"),
    path("suivi/projets/<int:pk>/prochaines-etapes/", projects.project_next_step, name="project_next_step"),
    path(
        "suivi/projets/<int:pk>/prochaines-etapes/<int:step_pk>/faite/",
        projects.project_next_step_done,
        name="project_next_step_done",
    ),
    path("suivi/projets/<int:pk>/documents/", projects.project_document, name="project_document"),
    path(
        "suivi/projets/<int:pk>/documents/<int:document_pk>/",
        projects.project_document_download,
        name="project_document_download",
    ),
    path("suivi/projets/<int:pk>/orientations/", referrals.referral_create, name="referral_create"),
    path("suivi/projets/<int:pk>/demande-d-aide/", projects.project_application, name="project_application"),
    path("suivi/orientations/<int:pk>/etat/", referrals.referral_move, name="referral_move"),
    path("suivi/rendez-vous/<int:pk>/projet/", projects.project_from_booking, name="project_from_booking"),
    path("suivi/<slug:slug>/", projects.board, name="board"),
    path("suivi/<slug:slug>/abandons/", projects.abandoned, name="abandoned"),
    path("suivi/<slug:slug>/nouveau/", projects.project_create, name="project_create"),
    path("partenaire/", referrals.partner_board, name="partner_board"),
    path("enquete/<str:token>/", projects.survey, name="survey"),
]

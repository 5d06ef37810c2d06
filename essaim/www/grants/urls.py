from django.urls import path

from essaim.www.grants.views import applicant, money, public, review, sessions, yearend

app_name = "grants"

urlpatterns = [
    # Public.
    path("aides/", public.scheme_list, name="schemes"),
    path("aides/simulateur/", public.simulator, name="simulator"),
    path("aides/export/scdl-subventions.csv", public.scdl_export, name="scdl_export"),
    # The applicant.
    path("aides/mes-demandes/", applicant.my_applications, name="my_applications"),
    path("aides/demandes/<int:pk>/", applicant.application_detail, name="application"),
    path("aides/demandes/<int:pk>/etapes/<slug:step>/", applicant.application_step, name="step"),
    path("aides/demandes/<int:pk>/montant/", applicant.application_amount, name="amount"),
    path("aides/demandes/<int:pk>/deposer/", applicant.application_submit, name="submit"),
    path("aides/demandes/<int:pk>/retirer/", applicant.application_withdraw, name="withdraw"),
    path("aides/demandes/<int:pk>/message/", applicant.application_message, name="message"),
    path("aides/demandes/<int:pk>/pieces/<int:document_pk>/", applicant.document_download, name="document"),
    path(
        "aides/demandes/<int:pk>/pieces/<int:document_pk>/retirer/",
        applicant.document_delete,
        name="document_delete",
    ),
    path("aides/demandes/<int:pk>/lettre-de-decision.pdf", applicant.decision_letter, name="decision_letter"),
    path("aides/demandes/<int:pk>/siret/", money.add_siret, name="add_siret"),
    path("aides/demandes/<int:pk>/justificatifs-du-solde/", money.justify, name="justify"),
    # The officers.
    path("aides/instruction/", review.queue, name="queue"),
    path("aides/instruction/tableau-de-bord/", review.dashboard, name="dashboard"),
    path("aides/instruction/echeances/", money.deadlines, name="deadlines"),
    path("aides/instruction/bilan/<slug:table>.csv", yearend.export_csv, name="export_csv"),
    path("aides/instruction/bilan.xlsx", yearend.export_xlsx, name="export_xlsx"),
    path("aides/instruction/bilan.pdf", yearend.summary_pdf, name="summary_pdf"),
    path("aides/instruction/credits/<slug:slug>/", review.envelope_save, name="envelope_save"),
    path("aides/instruction/<int:pk>/", review.review, name="review"),
    path("aides/instruction/<int:pk>/affecter/", review.review_assign, name="assign"),
    path("aides/instruction/<int:pk>/grille/", review.review_examination, name="examination"),
    path("aides/instruction/<int:pk>/action/<slug:name>/", review.review_transition, name="transition"),
    path("aides/instruction/<int:pk>/message/", review.review_message, name="review_message"),
    path("aides/instruction/<int:pk>/convention/", review.review_agreement, name="agreement"),
    path("aides/instruction/<int:pk>/versement/", review.review_payment, name="payment"),
    path("aides/instruction/<int:pk>/reversement/", money.recovery, name="recovery"),
    # Sittings.
    path("aides/seances/", sessions.session_list, name="sessions"),
    path("aides/seances/nouvelle/", sessions.session_create, name="session_create"),
    path("aides/seances/<int:pk>/", sessions.session_detail, name="session"),
    path("aides/seances/<int:pk>/saisie/", sessions.session_record, name="session_record"),
    path("aides/seances/<int:pk>/ordre-du-jour.pdf", sessions.session_agenda, name="session_agenda"),
    path("aides/seances/<int:pk>/proces-verbal.pdf", sessions.session_minutes, name="session_minutes"),
    # A scheme's public record and the door to apply (last: its slug would catch the paths above).
    path("aides/<slug:slug>/", public.scheme_detail, name="scheme"),
    path("aides/<slug:slug>/deposer/", applicant.apply_start, name="apply"),
]

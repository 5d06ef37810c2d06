from django.urls import path

from essaim.www.directory import contrib, moderation, views

app_name = "directory"
urlpatterns = [
    path("annuaire/", views.directory_list, name="list"),
    path("annuaire/export.csv", views.directory_export_csv, name="export_csv"),
    path("annuaire/referencer/", contrib.structure_submit, name="submit"),
    path("annuaire/moderation/", moderation.queue, name="queue"),
    path("annuaire/moderation/structures/<int:pk>/", moderation.structure_review, name="review"),
    path("annuaire/moderation/demandes/<int:pk>/", moderation.claim_decide, name="claim_decide"),
    path("annuaire/moderation/modifications/<int:pk>/", moderation.change_review, name="change_review"),
    path("annuaire/moderation/signalements/<int:pk>/", moderation.report_close, name="report_close"),
    path("annuaire/moderation/reglages/<slug:slug>/", moderation.settings_edit, name="settings"),
    path("annuaire/<slug:slug>/", views.structure_detail, name="structure"),
    path("annuaire/<slug:slug>/modifier/", contrib.structure_edit, name="edit"),
    path("annuaire/<slug:slug>/gerer/", contrib.structure_claim, name="claim"),
    path("annuaire/<slug:slug>/signaler/", contrib.structure_report, name="report"),
    path("carte/", views.directory_map, name="map"),
    path("carte/embed", views.directory_embed, name="embed"),
]

"""The club's pages — Calls for projects and joint answers (consortium workspaces)."""

from django.urls import path

from essaim.www.club import answers, calls

W = "<slug:club>/espace/reponses/<int:pk>/"

urlpatterns = [
    path("<slug:club>/appels/", calls.calls, name="calls"),
    path("<slug:club>/appels/<int:pk>/", calls.call, name="call"),
    path("<slug:club>/appels/<int:pk>/repondre/", answers.answer_new, name="answer_new"),
    path("<slug:club>/gestion/appels/nouveau/", calls.call_new, name="call_new"),
    path("<slug:club>/gestion/appels/<int:pk>/", calls.call_edit, name="call_edit"),
    path("<slug:club>/espace/reponses/", answers.answers, name="answers"),
    path(W, answers.answer, name="answer"),
    path(W + "invitation/", answers.answer_reply, name="answer_reply"),
    path(W + "modifier/", answers.answer_settings, name="answer_settings"),
    path(W + "partenaires/", answers.answer_invite, name="answer_invite"),
    path(W + "partenaires/<int:partner>/", answers.answer_partner, name="answer_partner"),
    path(W + "taches/", answers.answer_task_new, name="answer_task_new"),
    path(W + "taches/<int:task>/", answers.answer_task, name="answer_task"),
    path(W + "messages/", answers.answer_message, name="answer_message"),
    path(W + "documents/", answers.answer_document_new, name="answer_document_new"),
    path(W + "documents/<int:document>/", answers.answer_document, name="answer_document"),
    path(W + "resultat/", answers.answer_outcome, name="answer_outcome"),
    path(W + "demande-d-aide/", answers.answer_application, name="answer_application"),
]

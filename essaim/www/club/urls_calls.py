"""The club's pages — Calls for projects and joint answers (consortium workspaces).

TEMPORARY: every name points at ``pending`` until this part is built (the part replaces this module)."""

from django.urls import path

from essaim.www.club.pending import pending

urlpatterns = [
    path("<slug:club>/appels/", pending, name="calls"),
    path("<slug:club>/appels/<int:pk>/", pending, name="call"),
    path("<slug:club>/appels/<int:pk>/repondre/", pending, name="answer_new"),
    path("<slug:club>/gestion/appels/nouveau/", pending, name="call_new"),
    path("<slug:club>/espace/reponses/", pending, name="answers"),
    path("<slug:club>/espace/reponses/<int:pk>/", pending, name="answer"),
]

"""The club's pages — Meetings (agenda events restricted to members): list, page, registration of members, guests by
invitation, minutes, topics; and good practices.

TEMPORARY: every name points at ``pending`` until this part is built (the part replaces this module)."""

from django.urls import path

from essaim.www.club.pending import pending

urlpatterns = [
    path("invitation/<str:token>/", pending, name="meeting_guest"),
    path("<slug:club>/espace/rencontres/", pending, name="meetings"),
    path("<slug:club>/espace/rencontres/<int:pk>/", pending, name="meeting"),
    path("<slug:club>/espace/rencontres/<int:pk>/compte-rendu.pdf", pending, name="minutes_document"),
    path("<slug:club>/espace/sujets/", pending, name="topics"),
    path("<slug:club>/gestion/rencontres/nouvelle/", pending, name="meeting_new"),
    path("<slug:club>/gestion/rencontres/<int:pk>/", pending, name="meeting_edit"),
    path("<slug:club>/gestion/rencontres/<int:pk>/compte-rendu/", pending, name="meeting_minutes"),
    path("<slug:club>/pratiques/", pending, name="practices"),
    path("<slug:club>/pratiques/<int:pk>/", pending, name="practice"),
    path("<slug:club>/espace/pratiques/nouvelle/", pending, name="practice_new"),
    path("<slug:club>/espace/pratiques/<int:pk>/", pending, name="practice_edit"),
    path("<slug:club>/gestion/pratiques/<int:pk>/", pending, name="practice_review"),
]

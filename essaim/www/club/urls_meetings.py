"""The club's pages — Meetings (agenda events restricted to members): list, page, registration of members, guests by
invitation, minutes, topics; and good practices."""

from django.urls import path

from essaim.www.club import meetings, practices

urlpatterns = [
    path("invitation/<str:token>/", meetings.meeting_guest, name="meeting_guest"),
    path("<slug:club>/espace/rencontres/", meetings.meetings, name="meetings"),
    path("<slug:club>/espace/rencontres/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path(
        "<slug:club>/espace/rencontres/<int:pk>/compte-rendu.pdf", meetings.minutes_document, name="minutes_document"
    ),
    path("<slug:club>/espace/sujets/", meetings.topics, name="topics"),
    path("<slug:club>/gestion/rencontres/nouvelle/", meetings.meeting_new, name="meeting_new"),
    path("<slug:club>/gestion/rencontres/<int:pk>/", meetings.meeting_edit, name="meeting_edit"),
    path("<slug:club>/gestion/rencontres/<int:pk>/compte-rendu/", meetings.meeting_minutes, name="meeting_minutes"),
    path("<slug:club>/pratiques/", practices.practices, name="practices"),
    path("<slug:club>/pratiques/<int:pk>/", practices.practice_detail, name="practice"),
    path("<slug:club>/espace/pratiques/nouvelle/", practices.practice_new, name="practice_new"),
    path("<slug:club>/espace/pratiques/<int:pk>/", practices.practice_edit, name="practice_edit"),
    path("<slug:club>/gestion/pratiques/<int:pk>/", practices.practice_review, name="practice_review"),
]

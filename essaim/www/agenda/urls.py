from django.urls import path

from essaim.www.agenda import campaigns, feeds, manage, propose, public

app_name = "agenda"

urlpatterns = [
    path("agenda/", public.agenda_list, name="list"),
    path("agenda/calendrier/", public.agenda_calendar, name="calendar"),
    path("agenda/carte/", public.agenda_map, name="map"),
    path("agenda/embed", public.agenda_embed, name="embed"),
    path("agenda/calendar.ics", feeds.calendar_ics, name="calendar_ics"),
    path("agenda/feed.xml", feeds.rss_feed, name="rss"),
    path("agenda/evenements/<int:pk>/", public.event_detail, name="event"),
    path("agenda/evenements/<int:pk>/inscription/", public.event_register, name="register"),
    path("agenda/evenements/<int:pk>/calendrier.ics", feeds.event_ics, name="event_ics"),
    path("agenda/inscriptions/<str:token>/annuler/", public.registration_cancel_view, name="cancel"),
    path("agenda/campagnes/<slug:slug>/", public.campaign_detail, name="campaign"),
    path("agenda/campagnes/<slug:slug>/programme.pdf", feeds.campaign_pdf, name="campaign_pdf"),
    path("agenda/proposer/", propose.propose, name="propose"),
    # The officers' back office.
    path("agenda/gestion/", manage.dashboard, name="manage"),
    path("agenda/gestion/<slug:slug>/", manage.territory_home, name="manage_territory"),
    path("agenda/gestion/<slug:slug>/evenements/ajouter/", manage.event_create, name="event_create"),
    path("agenda/gestion/<slug:slug>/evenements/<int:pk>/", manage.event_manage, name="manage_event"),
    path("agenda/gestion/<slug:slug>/evenements/<int:pk>/modifier/", manage.event_update, name="event_update"),
    path(
        "agenda/gestion/<slug:slug>/evenements/<int:pk>/dupliquer/",
        manage.event_duplicate_view,
        name="event_duplicate",
    ),
    path(
        "agenda/gestion/<slug:slug>/evenements/<int:pk>/transition/<slug:name>/",
        manage.event_apply_transition,
        name="event_transition",
    ),
    path("agenda/gestion/<slug:slug>/seances/<int:pk>/inscrits/", manage.registrants, name="registrants"),
    path("agenda/gestion/<slug:slug>/seances/<int:pk>/inscrits.csv", manage.registrants_csv, name="registrants_csv"),
    path("agenda/gestion/<slug:slug>/seances/<int:pk>/message/", manage.message, name="message"),
    path("agenda/gestion/<slug:slug>/seances/<int:pk>/pointage/", manage.check_in, name="check_in"),
    path("agenda/gestion/<slug:slug>/campagnes/ajouter/", manage.campaign_edit, name="campaign_create"),
    path("agenda/gestion/<slug:slug>/campagnes/<int:pk>/modifier/", manage.campaign_edit, name="campaign_update"),
    path("agenda/gestion/<slug:slug>/campagnes/<int:pk>/bilan/", campaigns.report_page, name="campaign_report"),
    path(
        "agenda/gestion/<slug:slug>/campagnes/<int:pk>/bilan.csv",
        campaigns.report_csv_view,
        name="campaign_report_csv",
    ),
    path(
        "agenda/gestion/<slug:slug>/campagnes/<int:pk>/bilan.pdf",
        campaigns.report_pdf_view,
        name="campaign_report_pdf",
    ),
    path("agenda/gestion/<slug:slug>/campagnes/<int:pk>/reconduire/", campaigns.roll, name="campaign_roll"),
    path(
        "agenda/gestion/<slug:slug>/evenements/<int:pk>/series/ajouter/", campaigns.series_edit, name="series_create"
    ),
    path(
        "agenda/gestion/<slug:slug>/evenements/<int:pk>/series/<int:series_pk>/modifier/",
        campaigns.series_edit,
        name="series_update",
    ),
    path("agenda/gestion/<slug:slug>/lieux/ajouter/", manage.venue_edit, name="venue_create"),
    path("agenda/gestion/<slug:slug>/lieux/<int:pk>/modifier/", manage.venue_edit, name="venue_update"),
]

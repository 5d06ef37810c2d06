from django.contrib import admin

from essaim.agenda.models import Campaign, Event, EventTransition, Registration, Session, SessionMessage, Venue


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["label", "start", "end", "capacity", "attendance_count"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "territory", "start_date", "end_date", "is_published"]
    list_filter = ["territory", "is_published"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "territory"]
    list_filter = ["territory"]
    search_fields = ["name", "address"]
    raw_id_fields = ["commune"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Read and correct; publication goes through the back office (``/agenda/gestion/``), which logs it."""

    list_display = ["title", "territory", "event_type", "publication", "status", "registration_mode"]
    list_filter = ["territory", "publication", "status", "event_type", "registration_mode"]
    search_fields = ["title", "summary"]
    readonly_fields = ["publication", "published_at"]
    raw_id_fields = ["organisers", "partners", "proposed_by", "venue"]
    inlines = [SessionInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Registrations are changed through the services (which lock the session); the admin only reads them."""

    list_display = ["name", "email", "session", "status", "created_at", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["name", "email"]
    readonly_fields = [f.name for f in Registration._meta.fields]

    def has_add_permission(self, request):
        return False


admin.site.register(EventTransition)
admin.site.register(SessionMessage)

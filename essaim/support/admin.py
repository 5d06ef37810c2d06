"""The Django admin of the support capability, for the server's operator.

Settings (motifs, ranges, absences, partners, temps forts) are editable here, though the team's pages
(``/accompagnement/gestion/``) are where they are kept: those go through the services and their checks. Bookings,
projects and everything that holds a person's data or a logged transition are read-only: they change only through
the services (the one-booking-per-slot constraint, the referral workflow, the access log)."""

from django.contrib import admin

from essaim.support import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen, never written: personal data and logged changes move only through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PartnerAdviserInline(admin.TabularInline):
    model = models.PartnerAdviser
    extra = 0
    raw_id_fields = ["user"]


@admin.register(models.Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "territory", "active"]
    list_filter = ["active", "kind", "territory"]
    search_fields = ["name", "email"]
    raw_id_fields = ["structure"]
    inlines = [PartnerAdviserInline]


@admin.register(models.Motif)
class MotifAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "duration_minutes", "channel", "bookable_by", "active"]
    list_filter = ["active", "channel", "bookable_by", "territory"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(models.OpeningRange)
class OpeningRangeAdmin(admin.ModelAdmin):
    """Editable for repairs only: the team's range form checks overlaps, venues and advisers; this one does not."""

    list_display = ["motif", "adviser", "venue", "first_day", "start_time", "end_time", "rule", "active"]
    list_filter = ["active", "territory"]
    raw_id_fields = ["adviser", "motif", "venue"]


@admin.register(models.Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "territory", "starts_at", "ends_at", "reason"]
    list_filter = ["territory"]
    raw_id_fields = ["adviser"]


@admin.register(models.SupportPeriod)
class SupportPeriodAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "starts_on", "ends_on"]
    list_filter = ["territory"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["motifs"]
    raw_id_fields = ["workshops", "campaign"]


@admin.register(models.Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["name", "motif", "territory", "created_at", "expires_at", "used_at"]
    list_filter = ["territory"]
    exclude = ["token"]


@admin.register(models.Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "territory", "adviser", "starts_at", "status", "source"]
    list_filter = ["status", "channel", "territory"]
    date_hierarchy = "starts_at"
    search_fields = ["name", "email"]
    exclude = ["token"]


@admin.register(models.WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["name", "motif", "territory", "before", "status"]
    list_filter = ["status", "territory"]
    exclude = ["token"]


@admin.register(models.AdviserFeed)
class AdviserFeedAdmin(ReadOnlyAdmin):
    """The secret address stays secret: the token is not shown; deleting a row revokes the feed."""

    list_display = ["user", "territory", "created_at"]
    list_filter = ["territory"]
    exclude = ["token"]

    def has_delete_permission(self, request, obj=None):
        return True


class StageChangeInline(ReadOnlyInline):
    model = models.StageChange
    fields = ["from_stage", "to_stage", "by", "comment", "created_at"]
    readonly_fields = fields


class NextStepInline(ReadOnlyInline):
    model = models.NextStep
    fields = ["title", "due_on", "done_at", "shared_with_holder"]
    readonly_fields = fields


class ReferralInline(ReadOnlyInline):
    model = models.Referral
    fields = ["partner", "status", "status_changed_at", "closed_at"]
    readonly_fields = fields


@admin.register(models.Project)
class ProjectAdmin(ReadOnlyAdmin):
    """Read-only, and without the notes and documents (private to the team and the partner): the operator checks
    a record's state, never its content."""

    list_display = ["title", "territory", "kind", "stage", "status", "created_at"]
    list_filter = ["status", "stage", "kind", "territory"]
    search_fields = ["title", "holder_name", "holder_email"]
    inlines = [StageChangeInline, NextStepInline, ReferralInline]


class ReferralTransitionInline(ReadOnlyInline):
    model = models.ReferralTransition
    fields = ["from_status", "to_status", "by", "comment", "created_at"]
    readonly_fields = fields


@admin.register(models.Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "partner", "status", "status_changed_at", "reminded_at", "escalated_at"]
    list_filter = ["status", "partner__territory", "partner"]
    inlines = [ReferralTransitionInline]


@admin.register(models.SatisfactionSurvey)
class SatisfactionSurveyAdmin(ReadOnlyAdmin):
    list_display = ["project", "sent_at", "answered_at", "rating", "helped"]
    list_filter = ["helped"]
    exclude = ["token"]


@admin.register(models.ProjectAccess)
class ProjectAccessAdmin(ReadOnlyAdmin):
    """The access log (who opened which project): read-only, kept as proof."""

    list_display = ["__str__", "created_at"]


@admin.register(models.ProjectApplication)
class ProjectApplicationAdmin(ReadOnlyAdmin):
    list_display = ["project", "application", "created_at"]


@admin.register(models.PartnerAdviser)
class PartnerAdviserAdmin(admin.ModelAdmin):
    list_display = ["user", "partner", "created_at"]
    list_filter = ["partner__territory", "partner"]
    raw_id_fields = ["user"]


@admin.register(models.StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "by", "created_at"]
    list_filter = ["to_stage"]


@admin.register(models.NextStep)
class NextStepAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "due_on", "done_at", "shared_with_holder"]


@admin.register(models.ReferralTransition)
class ReferralTransitionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "by", "created_at"]
    list_filter = ["to_status"]


@admin.register(models.ProjectNote)
class ProjectNoteAdmin(ReadOnlyAdmin):
    """Only that a note exists, never its text: notes are private to the team and the partner."""

    list_display = ["__str__", "project", "author"]
    exclude = ["text"]


@admin.register(models.ProjectDocument)
class ProjectDocumentAdmin(ReadOnlyAdmin):
    """Only that a document exists, never a link to its file: documents are private to the team and the partner."""

    list_display = ["original_name", "project", "content_type", "uploaded_by", "created_at"]
    exclude = ["file"]

from django.contrib import admin

from essaim.grants import models


class RuleInline(admin.TabularInline):
    model = models.RuleVersion
    extra = 0


class PeriodInline(admin.TabularInline):
    model = models.OpenPeriod
    extra = 0


class EnvelopeInline(admin.TabularInline):
    model = models.BudgetEnvelope
    extra = 0


@admin.register(models.Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "territory", "is_published"]
    list_filter = ["is_published", "territory"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RuleInline, PeriodInline, EnvelopeInline]


class TransitionInline(admin.TabularInline):
    model = models.Transition
    extra = 0
    can_delete = False
    readonly_fields = ["name", "from_state", "to_state", "by", "comment", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications move only through the workflow's services, never by editing a field here."""

    list_display = ["reference", "project_title", "scheme", "state", "computed_amount", "submitted_at"]
    list_filter = ["state", "scheme"]
    search_fields = ["reference", "project_title", "new_structure_name", "structure__name"]
    inlines = [TransitionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(models.Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "scheme", "kind", "date", "recorded_at"]
    list_filter = ["kind"]


@admin.register(models.AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "application", "detail"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

from django.contrib import admin

from essaim.directory.models import (
    DirectorySettings,
    ErrorReport,
    ModerationLog,
    Sector,
    Structure,
    StructureChange,
    StructureClaim,
    StructureLabel,
)


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]


class StructureLabelInline(admin.TabularInline):
    model = StructureLabel
    extra = 0


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "family", "commune", "status", "is_generated"]
    list_filter = ["status", "family", "is_generated"]
    search_fields = ["name", "usual_name", "siren", "siret", "rna"]
    raw_id_fields = ["commune", "created_by"]
    inlines = [StructureLabelInline]


@admin.register(DirectorySettings)
class DirectorySettingsAdmin(admin.ModelAdmin):
    list_display = ["territory", "moderate_owner_edits", "review_imports", "stale_after_days"]


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["structure", "transition", "from_status", "to_status", "by", "created_at"]
    raw_id_fields = ["structure", "by"]


@admin.register(StructureClaim)
class StructureClaimAdmin(admin.ModelAdmin):
    list_display = ["structure", "user", "role", "status", "created_at"]
    raw_id_fields = ["structure", "user", "decided_by"]


@admin.register(StructureChange)
class StructureChangeAdmin(admin.ModelAdmin):
    list_display = ["structure", "by", "status", "created_at"]
    raw_id_fields = ["structure", "by", "decided_by"]


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ["structure", "status", "created_at"]
    raw_id_fields = ["structure", "closed_by"]

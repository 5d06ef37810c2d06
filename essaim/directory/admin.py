from django.contrib import admin

from essaim.directory.models import Sector, Structure, StructureLabel


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

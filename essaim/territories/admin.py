from django.contrib import admin

from essaim.territories.models import (
    ActionSheet,
    BudgetYear,
    CoFunding,
    Commune,
    Contact,
    Departement,
    Epci,
    Indicator,
    IndicatorValue,
    KeyFigure,
    PolicyAxis,
    PolicyInheritance,
    Region,
    Territory,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["siren", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["siren", "name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee_code", "name", "departement", "epci", "population"]
    search_fields = ["insee_code", "name", "search_name"]
    list_select_related = ["departement", "epci"]
    raw_id_fields = ["epci"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "siren", "kind", "communes_count", "population", "valid_until", "is_network_member"]
    list_filter = ["kind", "is_network_member"]
    search_fields = ["name", "official_name", "siren", "slug"]
    readonly_fields = ["population", "communes_count", "centre_lat", "centre_lon", "departement", "region"]
    raw_id_fields = ["epci", "successor"]
    inlines = [ContactInline]


class CoFundingInline(admin.TabularInline):
    model = CoFunding
    extra = 0


@admin.register(BudgetYear)
class BudgetYearAdmin(admin.ModelAdmin):
    list_display = ["territory", "year", "amount", "fte", "is_fictitious"]
    inlines = [CoFundingInline]


@admin.register(PolicyAxis)
class PolicyAxisAdmin(admin.ModelAdmin):
    list_display = ["territory", "number", "title", "inherited_from"]


@admin.register(ActionSheet)
class ActionSheetAdmin(admin.ModelAdmin):
    list_display = ["territory", "number", "title", "status", "inherited_from"]
    list_filter = ["status"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "sheet", "target"]
    inlines = [IndicatorValueInline]


@admin.register(KeyFigure)
class KeyFigureAdmin(admin.ModelAdmin):
    list_display = ["territory", "label", "value", "year"]


@admin.register(PolicyInheritance)
class PolicyInheritanceAdmin(admin.ModelAdmin):
    """The log of policy takeovers: read only (``territory_inherit_policy`` writes it)."""

    list_display = ["territory", "predecessor", "by_name", "created_at", "sheets_count", "values_count"]
    readonly_fields = [f.name for f in PolicyInheritance._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

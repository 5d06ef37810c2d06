from django.contrib import admin

from essaim.core.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    """The audit trail, read-only: nobody edits or adds a trace; deletion is the retention command's."""

    list_display = ["created_at", "user", "action", "label", "detail"]
    list_filter = ["action", "subject"]
    search_fields = ["label", "user__email"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

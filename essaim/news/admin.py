from django.contrib import admin

from essaim.news.models import Issue, NewsItem, Tag


@admin.register(NewsItem)
class NewsItemAdmin(admin.ModelAdmin):
    list_display = ["title", "territory", "published_on", "status"]
    list_filter = ["territory", "status"]
    search_fields = ["title"]
    raw_id_fields = ["structures", "events", "author"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "territory"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "territory", "status", "sent_count", "failed_count"]
    readonly_fields = ["status", "queued_at", "sent_at", "recipients_count", "sent_count", "failed_count"]

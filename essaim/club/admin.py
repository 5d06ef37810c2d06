"""The Django admin of the club, for the server's operator: read-mostly.

The club's pages (``/club/<club>/gestion/``) are where a club is run: they go through the services, their checks
and their mails (a new charter version asks every member to accept it; an approval sets the membership's dates).
Here, the skills' shared vocabulary is editable (to merge a typo); everything else is read-only."""

from django.contrib import admin

from essaim.club import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen, never written: the club's rows move only through its services."""

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


class CharterVersionInline(ReadOnlyInline):
    model = models.CharterVersion
    fields = ["number", "adopted_on", "summary_of_changes"]


class BureauSeatInline(ReadOnlyInline):
    model = models.BureauSeat
    fields = ["role", "person_name", "member", "since"]


class ClubStaffInline(ReadOnlyInline):
    model = models.ClubStaff
    fields = ["user", "role"]


class MemberPersonInline(ReadOnlyInline):
    model = models.MemberPerson
    fields = ["user", "function"]


class CharterAcceptanceInline(ReadOnlyInline):
    model = models.CharterAcceptance
    fields = ["version", "accepted_by", "created_at"]
    readonly_fields = ["created_at"]


class RenewalInline(ReadOnlyInline):
    model = models.Renewal
    fields = ["renewed_on", "valid_until", "by"]


@admin.register(models.Club)
class ClubAdmin(ReadOnlyAdmin):
    list_display = ["name", "territory", "status", "rna", "membership_months"]
    list_filter = ["status", "territory"]
    search_fields = ["name", "slug", "rna"]
    inlines = [CharterVersionInline, BureauSeatInline, ClubStaffInline]


@admin.register(models.Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["structure", "club", "status", "founder", "joined_on", "expires_on", "show_publicly"]
    list_filter = ["status", "founder", "show_publicly", "club"]
    search_fields = ["structure__name", "structure__siret"]
    inlines = [MemberPersonInline, CharterAcceptanceInline, RenewalInline]


@admin.register(models.Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


READ_ONLY = {
    models.CharterVersion: ["__str__", "club", "number", "adopted_on"],
    models.CharterAcceptance: ["member", "version", "accepted_by", "created_at"],
    models.MemberPerson: ["user", "member", "function"],
    models.ClubStaff: ["user", "club", "role"],
    models.Renewal: ["member", "renewed_on", "valid_until", "by"],
    models.BureauSeat: ["person_name", "role", "club", "member", "since"],
    models.Topic: ["name", "club"],
    models.Meeting: ["theme", "club", "event", "minutes_published_at"],
    models.Speaker: ["__str__", "meeting"],
    models.MeetingGuest: ["__str__", "meeting"],
    models.Listing: ["title", "club", "member", "kind", "category", "status", "show_publicly"],
    models.Match: ["need", "offer", "by", "created_at"],
    models.CategorySubscription: ["user", "club", "category", "last_digest_at"],
    models.SharedItem: ["name", "club", "owner", "category", "unit", "active"],
    models.ItemBooking: ["__str__", "item", "member", "status"],
    models.ItemBookingUnit: ["__str__"],
    models.GroupPurchase: ["__str__", "club", "status"],
    models.PurchaseLine: ["__str__"],
    models.Call: ["title", "club", "funder", "deadline"],
    models.JointAnswer: ["title", "call", "lead", "status"],
    models.AnswerPartner: ["answer", "member", "status"],
    models.AnswerTask: ["title", "answer", "owner", "done_at"],
    models.AnswerDocument: ["original_name", "answer", "uploaded_by"],
    models.AnswerMessage: ["__str__", "answer", "author", "created_at"],
    models.PracticeSheet: ["title", "club", "member", "status", "published_at"],
}

for _model, _columns in READ_ONLY.items():
    admin.site.register(_model, type(f"{_model.__name__}Admin", (ReadOnlyAdmin,), {"list_display": _columns}))

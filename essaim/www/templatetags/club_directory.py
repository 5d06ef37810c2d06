"""The club on a structure's page of the directory: « membre du club » when the structure is an active member that
agreed to appear, and its published practice sheets. Lives in ``essaim/www`` so that the directory app never imports
the club."""

from django import template

register = template.Library()


@register.inclusion_tag("club/practices/_directory_section.html")
def club_section(structure):
    """The clubs the structure belongs to publicly, and the sheets it published in any club."""
    from essaim.club.enums import PracticeStatus
    from essaim.club.models import Member, PracticeSheet

    memberships = list(Member.objects.public().filter(structure=structure).select_related("club"))
    sheets = list(
        PracticeSheet.objects.filter(member__structure=structure, status=PracticeStatus.PUBLISHED)
        .select_related("club")
        .order_by("-published_at", "pk")
    )
    return {"memberships": memberships, "sheets": sheets, "structure": structure}

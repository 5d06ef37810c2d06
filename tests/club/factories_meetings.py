"""Factories of the meetings' and practices' tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.agenda.factories import SessionFactory, in_days
from tests.club.factories import MeetingFactory


def pdf_upload(name="compte-rendu.pdf"):
    """A small real PDF (one blank page): the minutes' check reads the content, not the name."""
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def meeting_with_session(club, *, days=10, capacity=20, **kwargs):
    """A meeting of ``club`` with its single session ``days`` from now (negative: past)."""
    meeting = MeetingFactory(club=club, **kwargs)
    SessionFactory(event=meeting.event, start=in_days(days, 18), end=in_days(days, 20), capacity=capacity)
    return meeting

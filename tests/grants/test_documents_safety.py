"""Documents joined to an application cannot carry an attack: PDFs are parsed (pikepdf) and refused when they do not
parse or carry JavaScript, automatic or launch actions, embedded files or XFA; images are re-encoded (Pillow), which
drops their metadata and anything hidden after them. The malicious files are built here, with pikepdf and Pillow."""

import io
from pathlib import Path

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from essaim.grants import services
from essaim.grants.demo import DEMO_PDF
from essaim.grants.documents import sniff_content_type
from essaim.grants.enums import DocumentKind
from tests.images import jpeg_with_gps, png_claiming

JS = "app.alert('x')"


def pdf_bytes(change=None, **save) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    if change:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def upload(data: bytes, name="piece.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def refused(data: bytes, name="piece.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as info:
        sniff_content_type(upload(data, name))
    return info.value


def _names_javascript(pdf):
    action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(JS))
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), pdf.make_indirect(action)]))
    )


def _open_action_javascript(pdf):
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String(JS))


def _open_action_goto(pdf):
    pdf.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.GoTo, D=pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
    )


def _page_additional_action(pdf):
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("http://x")))


def _launch_link(pdf):
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe")),
    )
    pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(link)])


def _javascript_stream_in_indirect_object(pdf):
    script = pdf.make_stream(JS.encode())
    action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=script))
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 1, 1], A=action)
    pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(link)])


def _embedded_file(pdf):
    pdf.attachments["facture.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00", mime_type="application/x-msdownload")


def _file_attachment_annotation(pdf):
    spec = pikepdf.AttachedFileSpec(pdf, b"payload", filename="x.txt")
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[0, 0, 10, 10], FS=spec.obj
    )
    pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(annotation)])


def _xfa(pdf):
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp:xdp/>"))


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (_names_javascript, "pdf_javascript", "du JavaScript"),
        (_open_action_javascript, "pdf_automatic_action", "action automatique"),
        (_open_action_goto, "pdf_automatic_action", "action automatique"),
        (_page_additional_action, "pdf_automatic_action", "action automatique"),
        (_launch_link, "pdf_launch", "lance un programme"),
        (_javascript_stream_in_indirect_object, "pdf_javascript", "du JavaScript"),
        (_embedded_file, "pdf_embedded_file", "fichiers joints"),
        (_file_attachment_annotation, "pdf_embedded_file", "fichiers joints"),
        (_xfa, "pdf_xfa", "formulaire XFA"),
    ],
)
def test_a_pdf_with_active_content_is_refused_with_a_french_reason(change, code, words):
    error = refused(pdf_bytes(change))
    assert error.code == code
    assert words in error.message and "imprimez-le en PDF" in error.message


def test_active_content_hidden_in_compressed_object_streams_is_found_too():
    data = pdf_bytes(_open_action_javascript, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert b"/JavaScript" not in data  # not visible to a byte search
    assert refused(data).code == "pdf_automatic_action"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n",
        b"%PDF-1.4\n" + bytes(range(256)) * 8,
        pdf_bytes()[:200],  # truncated
    ],
    ids=["html-with-a-pdf-header", "random-bytes", "truncated"],
)
def test_a_file_with_a_pdf_header_that_does_not_parse_is_refused(data):
    assert refused(data).code == "pdf_broken"


def test_a_password_protected_pdf_is_refused():
    data = pdf_bytes(encryption=pikepdf.Encryption(user="secret", owner="secret"))
    assert refused(data).code == "pdf_encrypted"


def test_ordinary_pdfs_and_the_demo_document_are_accepted():
    assert sniff_content_type(upload(pdf_bytes())) == "application/pdf"
    assert sniff_content_type(upload(DEMO_PDF)) == "application/pdf"
    assert sniff_content_type(upload(pdf_bytes(object_stream_mode=pikepdf.ObjectStreamMode.generate)))


def test_a_jpeg_is_re_encoded_without_its_exif_gps_position():
    data = jpeg_with_gps()
    assert b"SpyCam" in data
    image = SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg")
    assert sniff_content_type(image) == "image/jpeg"
    image.seek(0)
    clean = image.read()
    assert b"SpyCam" not in clean and b"Exif" not in clean
    assert image.size == len(clean)
    with Image.open(io.BytesIO(clean)) as reread:
        assert reread.size == (40, 30) and not reread.getexif()


def test_a_png_loses_its_text_chunks_and_the_payload_hidden_after_it():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-metadata")
    out = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(out, format="PNG", pnginfo=info)
    data = out.getvalue() + b"<script>alert(1)</script>"
    image = SimpleUploadedFile("logo.png", data, content_type="image/png")
    assert sniff_content_type(image) == "image/png"
    image.seek(0)
    clean = image.read()
    assert b"secret-metadata" not in clean and b"<script>" not in clean
    assert clean.endswith(b"IEND\xaeB`\x82")


def test_a_large_upload_kept_on_disk_is_re_encoded_in_its_temporary_file():
    """Django keeps uploads over 2.5 MB in a temporary file and the storage moves that file: the file itself must
    hold the clean image."""
    data = jpeg_with_gps()
    image = TemporaryUploadedFile("photo.jpg", "image/jpeg", len(data), None)
    image.write(data)
    image.seek(0)
    sniff_content_type(image)
    with open(image.temporary_file_path(), "rb") as handle:
        assert b"SpyCam" not in handle.read()
    image.close()


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    error = refused(png_claiming(20_000, 20_000), "bombe.png")
    assert error.code == "image_too_big"


def test_a_broken_image_is_refused():
    assert refused(b"\xff\xd8\xff\xe0" + b"\x00" * 64, "x.jpg").code == "broken_image"


def test_the_service_stores_the_clean_image_in_the_private_root(world, settings):
    application = world.draft(complete=False)
    document = services.document_add(
        application=application,
        by=world.applicant,
        kind=DocumentKind.STATUTES,
        upload=SimpleUploadedFile("scan.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    )
    with document.file.open("rb") as handle:
        stored = handle.read()
    assert b"SpyCam" not in stored and document.size == len(stored)
    assert str(document.file.path).startswith(str(settings.ESSAIM_PRIVATE_ROOT))


def test_the_service_refuses_a_pdf_with_javascript_and_stores_nothing(world, settings):
    application = world.draft(complete=False)
    with pytest.raises(ValidationError):
        services.document_add(
            application=application,
            by=world.applicant,
            kind=DocumentKind.STATUTES,
            upload=upload(pdf_bytes(_open_action_javascript)),
        )
    assert not application.documents.exists()


def test_a_document_is_stored_in_the_private_root_and_read_through_the_checking_view(client, world, settings):
    application = world.draft(complete=False)
    document = services.document_add(
        application=application,
        by=world.applicant,
        kind=DocumentKind.STATUTES,
        upload=SimpleUploadedFile("statuts.pdf", DEMO_PDF, content_type="application/pdf"),
    )
    stored = Path(settings.ESSAIM_PRIVATE_ROOT) / document.file.name
    assert stored.read_bytes() == DEMO_PDF
    assert not (Path(settings.MEDIA_ROOT) / document.file.name).exists()
    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(f"/media/../private/{document.file.name}").status_code in (400, 404)
    url = reverse("grants:document", args=[application.pk, document.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(world.applicant)
    assert client.get(url).content == DEMO_PDF


def test_the_demo_documents_are_valid_pdfs_in_the_private_root(demo, settings):
    from essaim.accounts.demo import load_demo_accounts
    from essaim.grants.demo import load_demo_grants
    from essaim.grants.documents import check_pdf
    from essaim.grants.models import ApplicationDocument

    load_demo_accounts(demo)
    load_demo_grants(territories=demo)
    documents = list(ApplicationDocument.objects.all())
    assert documents
    for document in documents:
        stored = Path(settings.ESSAIM_PRIVATE_ROOT) / document.file.name
        check_pdf(SimpleUploadedFile("x.pdf", stored.read_bytes()))
        assert not (Path(settings.MEDIA_ROOT) / document.file.name).exists()

"""The demo directory: real structures first (the seeds' and the official SIAE list), generated ones only when asked
and claiming no status; idempotent."""

import pytest

from essaim.directory.demo import SEED_STRUCTURES, load_demo_structures
from essaim.directory.enums import Family
from essaim.directory.models import Structure, StructureLabel


def structures_snapshot():
    return list(Structure.objects.order_by("pk").values()), list(StructureLabel.objects.order_by("pk").values())


@pytest.mark.django_db
def test_real_structures_only_by_default_and_a_second_load_writes_nothing(demo):
    first = load_demo_structures(territories=demo)
    assert first["generated"] == 0 and not Structure.objects.filter(is_generated=True).exists()
    assert first["seeds"] == len(SEED_STRUCTURES) == 8
    assert first["siae_created"] == 105 and first["in_cabbalr"] == first["real_in_cabbalr"] > 8
    (line, reason) = first["siae_rejections"][0]
    assert line == 189 and "MARCONNE" in reason and "Hesdin-la-Forêt" in reason
    before = structures_snapshot()
    again = load_demo_structures(territories=demo)
    assert (again["siae_created"], again["siae_updated"]) == (0, 0)
    assert structures_snapshot() == before


@pytest.mark.django_db
def test_seed_structures_sit_in_their_real_communes(demo):
    """The communes the articles name, with the official geography's coordinates; where they name none, the page
    says so instead of pretending."""
    load_demo_structures(territories=demo)
    where = {s.slug: s for s in Structure.objects.filter(slug__in=[row[0] for row in SEED_STRUCTURES])}
    assert where["apic"].commune.name == "Ruitz" and where["apic"].labels.get().label == "EA"
    assert where["maison-de-la-poesie"].commune.name == "Beuvry"
    assert where["l-effet-deco"].commune.name == "Béthune"
    assert where["maison-ecoquartier-alouettes"].commune.name == "Bruay-la-Buissière"
    for structure in where.values():
        assert (structure.lat, structure.lon) == (structure.commune.lat, structure.commune.lon)
        assert "Source" not in structure.description
    assert "commune non citée par les articles" in where["bge-hauts-de-france"].provenance["commune"]["source"]
    assert "commune citée" in where["apic"].provenance["commune"]["source"]


@pytest.mark.django_db
def test_generated_structures_on_request_claim_no_status(demo):
    """``--with-generated N``: N structures marked as generated, without any label, any legal form that is itself a
    status (RUP 9230, insertion 9221/9222, SCOP 5458/5558), any commercial company, any name of a regulated kind."""
    counts = load_demo_structures(territories=demo, with_generated=40)
    generated = Structure.objects.filter(is_generated=True)
    assert counts["generated"] == generated.count() == 40
    assert not StructureLabel.objects.filter(structure__in=generated).exists()
    assert not generated.filter(legal_form__in=["9230", "9221", "9222", "5458", "5558"]).exists()
    assert not generated.filter(family=Family.COMMERCIAL).exists()
    for word in ("ESAT", "Entreprise adaptée", "insertion", "SCOP", "SCIC", "ADMR", "Cigales"):
        assert not generated.filter(name__icontains=word).exists(), word
    assert load_demo_structures(territories=demo, with_generated=40)["generated"] == 0


@pytest.mark.django_db
def test_completeness_is_for_officers_not_the_public_page(client, demo):
    from tests.accounts.factories import MembershipFactory

    load_demo_structures(territories=demo)
    url = Structure.objects.get(slug="apic").get_absolute_url()
    assert "Complétude" not in client.get(url).content.decode()
    client.force_login(MembershipFactory(territory=demo["cabbalr"]).user)
    assert "Complétude" in client.get(url).content.decode()

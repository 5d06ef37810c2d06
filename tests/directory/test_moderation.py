"""The moderation workflow and who may do what: officers moderate their own territory's entries only."""

import pytest
from django.core import mail

from essaim.directory import perms, services
from essaim.directory.enums import RequestStatus, Status, Transition
from essaim.directory.models import ErrorReport, ModerationLog, Sector, Structure, StructureChange
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.directory.factories import StructureClaimFactory, StructureFactory, territory_with_commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    territory, commune = territory_with_commune()
    other_territory, other_commune = territory_with_commune()
    officer = MembershipFactory(territory=territory).user
    other_officer = MembershipFactory(territory=other_territory).user
    commission = MembershipFactory(territory=territory, commission=True).user
    return {
        "territory": territory,
        "commune": commune,
        "other_commune": other_commune,
        "officer": officer,
        "other_officer": other_officer,
        "commission": commission,
    }


def submit(place, **data):
    values = {"name": "Épicerie solidaire du centre", "family": "association", "commune": place["commune"]}
    values.update(data)
    return services.structure_submit(data=values, submitter_email="porteuse@exemple.org")


def test_a_submission_waits_for_moderation_without_any_identifier(place):
    structure = submit(place)
    assert structure.status == Status.PENDING
    assert structure.ess_source == "declared" and not structure.siret
    assert list(structure.moderation_log.values_list("transition", flat=True)) == [Transition.SUBMIT]


def test_only_the_structures_territory_officers_moderate_it(place):
    structure = submit(place)
    assert perms.can_moderate_structure(place["officer"], structure)
    assert not perms.can_moderate_structure(place["other_officer"], structure)
    assert not perms.can_moderate_structure(place["commission"], structure)
    assert not perms.can_moderate_structure(UserFactory(), structure)
    assert perms.can_moderate_structure(UserFactory(network_admin=True), structure)
    from django.contrib.auth.models import AnonymousUser

    assert not perms.can_moderate_structure(AnonymousUser(), structure)
    assert not perms.can_view_structure(AnonymousUser(), structure)


def test_publish_and_reject_follow_the_transition_table_and_mail_the_reason(place, django_capture_on_commit_callbacks):
    structure = submit(place)
    with django_capture_on_commit_callbacks(execute=True):
        services.structure_reject(
            structure=structure, by=place["officer"], reason="Ce n'est pas une structure de l'ESS."
        )
    structure.refresh_from_db()
    assert structure.status == Status.REJECTED and "pas une structure" in structure.rejection_reason
    assert mail.outbox[-1].to == ["porteuse@exemple.org"]
    assert "Ce n'est pas une structure de l'ESS." in mail.outbox[-1].body
    with pytest.raises(services.TransitionNotAllowed):
        services.structure_reject(structure=structure, by=place["officer"], reason="encore")
    with pytest.raises(ValueError, match="motif"):
        services.structure_reject(structure=submit(place, name="Autre"), by=place["officer"], reason=" ")
    services.structure_publish(structure=structure, by=place["officer"])
    log = list(ModerationLog.objects.filter(structure=structure).values_list("from_status", "to_status"))
    assert log == [("", "pending"), ("pending", "rejected"), ("rejected", "published")]


def test_duplicates_are_found_by_siret_and_by_a_close_name_in_the_same_commune(place):
    existing = StructureFactory(name="Association Épicerie Solidaire du Centre", commune=place["commune"])
    elsewhere = StructureFactory(name="Epicerie solidaire du centre", commune=place["other_commune"])
    same_siret = StructureFactory(commune=place["other_commune"], siret=None)
    structure = submit(place, name="Epicerie solidaire du centre")
    found = dict((s.pk, why) for s, why in services.find_duplicates(structure))
    assert existing.pk in found and elsewhere.pk not in found
    Structure.objects.filter(pk=same_siret.pk).update(siret="73282932000074")
    structure.siret = "73282932000074"
    assert dict((s.pk, why) for s, why in services.find_duplicates(structure))[same_siret.pk] == "même SIRET"


def test_merge_keeps_one_page_with_everything_and_archives_the_duplicate(place):
    target = StructureFactory(commune=place["commune"], website="", siret=None, siren="", rna="W621000001")
    duplicate = submit(place, website="https://epicerie.example", phone="03 21 00 00 00")
    duplicate.sectors.add(Sector.objects.get(slug="alimentation"))
    StructureClaimFactory(structure=duplicate)
    services.structure_merge(duplicate=duplicate, into=target, by=place["officer"])
    target.refresh_from_db()
    duplicate.refresh_from_db()
    assert target.website == "https://epicerie.example" and target.phone == "03 21 00 00 00"
    assert list(target.sectors.values_list("slug", flat=True)) == ["alimentation"]
    assert target.claims.count() == 1
    assert duplicate.status == Status.ARCHIVED and duplicate.merged_into == target
    with pytest.raises(ValueError):
        services.structure_merge(duplicate=target, into=target, by=place["officer"])


def test_claims_make_owners_who_edit_directly_or_through_moderation(place, django_capture_on_commit_callbacks):
    structure = StructureFactory(commune=place["commune"], description="Ancienne présentation")
    person = UserFactory()
    assert perms.can_claim_structure(person, structure) and not perms.can_edit_structure(person, structure)
    claim = services.claim_create(structure=structure, user=person, role="Présidente")
    assert services.claim_create(structure=structure, user=person, role="Présidente") == claim  # one open claim
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_approve(claim=claim, by=place["officer"])
    assert mail.outbox[-1].to == [person.email]
    assert perms.can_edit_structure(person, structure)

    assert services.structure_update(structure=structure, data={"description": "Nouvelle"}, by=person) == "applied"
    structure.refresh_from_db()
    assert structure.description == "Nouvelle" and structure.provenance["description"]["source"] == "owner"

    services.directory_settings_update(territory=place["territory"], by=place["officer"], moderate_owner_edits=True)
    assert services.structure_update(structure=structure, data={"description": "À relire"}, by=person) == "pending"
    structure.refresh_from_db()
    assert structure.description == "Nouvelle"
    change = StructureChange.objects.get(structure=structure)
    services.change_approve(change=change, by=place["officer"])
    structure.refresh_from_db()
    assert structure.description == "À relire"
    # An officer's own edit is never held back.
    assert services.structure_update(structure=structure, data={"phone": "03"}, by=place["officer"]) == "applied"


def test_a_claim_can_be_refused_with_a_reason(place):
    claim = StructureClaimFactory(structure=StructureFactory(commune=place["commune"]))
    services.claim_reject(claim=claim, by=place["officer"], reason="Inconnue de la structure")
    claim.refresh_from_db()
    assert claim.status == RequestStatus.REJECTED
    with pytest.raises(services.TransitionNotAllowed):
        services.claim_approve(claim=claim, by=place["officer"])


def test_error_reports_land_in_the_queue_and_get_closed(place):
    structure = StructureFactory(commune=place["commune"])
    report = services.report_create(structure=structure, message=" Le téléphone est faux ", email="")
    assert report.message == "Le téléphone est faux"
    services.report_close(report=report, by=place["officer"])
    assert ErrorReport.objects.get().status == RequestStatus.CLOSED


def test_imports_wait_for_review_when_the_territory_asks(place):
    assert not services.imports_need_review(place["commune"])
    services.directory_settings_update(territory=place["territory"], by=place["officer"], review_imports=True)
    assert services.imports_need_review(place["commune"])


def test_stale_entries_are_listed_for_officers(place):
    import datetime

    from django.utils import timezone

    old = StructureFactory(commune=place["commune"])
    Structure.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=400))
    fresh = StructureFactory(commune=place["commune"])
    stale = Structure.objects.stale(before=timezone.now() - datetime.timedelta(days=365))
    assert old in stale and fresh not in stale

"""The checker of every page the browser tests visit (tests/browser/typography.py) catches each fault it promises
and passes clean French."""

import pytest

from tests.browser.typography import check_text, internal_codes

NB = "\u00a0"
NN = "\u202f"

CLEAN = (
    f"Demande EA-2026-0003{NB}: accordée le 1er décembre 2026 pour 8{NN}000,00{NB}€ (201{NN}600{NB}€ de crédits).\n"
    f"0 structure, 1 demande, 2 demandes, 12 structures, 1{NN}500 inscriptions et 10{NB}% des emplois.\n"
    f"Vous êtes inscrit{NB}; voulez-vous annuler{NB}? Merci{NB}! Le 21 janvier, le 11 novembre.\n"
    f"Écrivez à valerie.morel@artoiscomm.fr ou voyez https://example.org/a_b?x=1{NB}: c'est hors texte.\n"
    f"Le flux .ics et le format 14:30 restent permis{NN}; « Quoi{NB}? »"
)


def test_clean_french_passes():
    assert check_text(CLEAN, codes={"mark_ready"}) == []


@pytest.mark.parametrize(
    ("sample", "rule"),
    [
        ("Page not found (404)", "page technique"),
        ("Traceback (most recent call last)", "page technique"),
        ("403 Forbidden", "page technique"),
        ("CSRF verification failed. Request aborted.", "page technique"),
        ("Server Error (500)", "page technique"),
        ("Using the URLconf defined in config.urls", "page technique"),
        ("Transition : mark_ready par l'agent", "code interne"),
        (f"Pièce{NB}: bank_details", "code interne"),
        ("Voir le dossier , puis valider", "avant une virgule"),
        ("La demande est déposée .", "avant une virgule ou un point"),
        ("Statut : accordée", "espace ordinaire avant"),
        ("Vous êtes sûr ?", "espace ordinaire avant"),
        ("Attention !", "espace ordinaire avant"),
        ("Statut: accordée", "espace insécable manquante"),
        ("Vraiment?", "espace insécable manquante"),
        ("Montant : 500 €", "espace ordinaire avant « € »"),
        ("Montant 500€ net", "manquante avant « € »"),
        ("Le 1 janvier 2027", "1er"),
        (f"mardi 1{NB}décembre", "1er"),
        (f"8000{NB}€", "sans séparateur"),
        (f"8000,00{NB}€", "sans séparateur"),
        ("8,000.00", "à l'anglaise"),
        (f"8000.00{NB}€", "à l'anglaise"),
        (f"8 000,00{NB}€", "milliers"),
        ("0 structures trouvées", "0 ou 1"),
        ("1 demandes en cours", "0 ou 1"),
        (f"1{NB}inscriptions", "0 ou 1"),
        ("3 structure", "pluriel manquant"),
    ],
)
def test_each_fault_is_caught(sample, rule):
    faults = check_text(sample, codes={"mark_ready", "bank_details"})
    assert any(rule in fault.rule for fault in faults), (sample, faults)


def test_grouped_numbers_are_not_miscounted():
    """ "10 structures", "1 000 structures", "21 demandes" and "1,5 emploi" are not agreement faults."""
    text = f"10 structures, 1{NN}000 structures, 21 demandes, 101 communes, 1,5 emploi"
    assert check_text(text, codes=set()) == []


def test_internal_codes_come_from_the_code_base():
    """TextChoices values and model field names with an underscore, and the workflow's transitions."""
    codes = internal_codes()
    assert {"under_review", "bank_details", "mark_ready", "created_at"} <= codes
    assert "structure" not in codes


def test_codes_in_urls_and_emails_are_ignored():
    text = "Voir /gestion/aides/under_review/ et under_review@example.org"
    assert check_text(text, codes={"under_review"}) == []

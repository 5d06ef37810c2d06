"""The demo of the "Entreprendre Autrement" aid (seed 002, fiche 10): the scheme with its 2014 rule, the credits of
the current year and a dozen clearly fictitious applications at every state, inspired by the seeds (a ressourcerie,
a café citoyen, a CAE antenna, a reuse workshop, a pooling project between two associations…).

Every application goes through the real services, so that its log, its opinion, its decision and its payments are
those the workflow writes. Idempotent: the scheme, rule, period and envelope are updated; the applications are
created only once (the scheme's applications are left alone when some exist).
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from essaim.accounts.demo import DEMO_PASSWORD
from essaim.accounts.models import User
from essaim.core.identifiers import luhn_complete
from essaim.directory.enums import EssSource, Family, Status
from essaim.directory.models import Structure
from essaim.directory.services import structures_changed
from essaim.grants import services
from essaim.grants.enums import (
    ApplicationState,
    Assessment,
    DecisionOutcome,
    DevelopmentCase,
    DocumentKind,
    FundingKind,
    GrantForm,
    NewStructureFamily,
    Opinion,
    PaymentKind,
    SessionKind,
)
from essaim.grants.models import Application, OpenPeriod, RuleVersion, Scheme
from essaim.territories.models import Commune

SEED = "RTES, annuaire des adhérents, fiche du 25 août 2014 (Artois Comm.), fiche 10"
DEMO_CREDITS = Decimal("80000.00")
# The CABBALR's SIREN is 200072460; the NIC of the establishment that attributes is not in our sources: this SIRET
# (Luhn-valid) is to be checked against SIRENE before any real publication.
CABBALR_SIRET = "20007246000013"
# A one-page PDF, for the demo documents: a real one (cross-reference table, page tree), as the upload checks
# parse every PDF.
DEMO_PDF = (
    b"%PDF-1.3\n1 0 obj\n<< /Pages 2 0 R /Type /Catalog >>\nendobj\n"
    b"2 0 obj\n<< /Count 1 /Kids [ 3 0 R ] /Type /Pages >>\nendobj\n"
    b"3 0 obj\n<< /Contents 4 0 R /MediaBox [ 0 0 595 842 ] /Parent 2 0 R /Resources << >> /Type /Page >>\nendobj\n"
    b"4 0 obj\n<< /Length 0 >>\nstream\n\nendstream\nendobj\nxref\n0 5\n0000000000 65535 f \n"
    b"0000000009 00000 n \n0000000058 00000 n \n0000000117 00000 n \n0000000223 00000 n \n"
    b"trailer << /Root 1 0 R /Size 5 >>\nstartxref\n272\n%%EOF\n"
)


def fictitious_siret(n: int) -> str:
    """A Luhn-valid SIRET whose SIREN starts with 99990 (no real company has one: see the synthetic SIRENE files)."""
    siren = luhn_complete(f"99990{n:03d}")
    return luhn_complete(f"{siren}0001")


def _scheme(territory) -> Scheme:
    scheme, _ = Scheme.objects.update_or_create(
        slug="entreprendre-autrement",
        defaults={
            "territory": territory,
            "name": "Entreprendre Autrement",
            "summary": (
                "Une subvention pour créer une structure de l'économie sociale et solidaire ou développer une "
                "activité : 2 000 € par emploi créé (4 au plus) et 20 % d'un investissement de 15 000 € au plus."
            ),
            "description": (
                "Créé par Artois Comm. (fiche 10 de son plan d'actions ESS, 2014), le dispositif « Entreprendre "
                "Autrement » est poursuivi par la Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane, "
                "qui lui a succédé en 2017. Il soutient les structures de l'ESS de deux manières : une aide au "
                "démarrage, pour une nouvelle structure de l'ESS ; une aide au développement, pour la création "
                "d'une nouvelle activité au sein d'une structure existante, l'essaimage territorial de l'activité "
                "par la création d'un nouvel établissement, ou un projet de mutualisation ou de coopération entre "
                "structures de l'ESS.\n\nLe Bureau communautaire se prononce au vu de l'avis émis par une "
                "commission ad hoc composée des vice-présidents en charge du développement économique, après "
                "instruction des dossiers déposés. Les subventions sont attribuées dans la limite des crédits "
                "affectés chaque année lors du vote du budget."
            ),
            "audiences": [
                "Nouvelles structures de l'ESS (associations, coopératives, mutuelles, fondations, entreprises "
                "solidaires d'utilité sociale)",
                "Structures de l'ESS existantes qui créent une activité, un établissement ou un projet de "
                "mutualisation ou de coopération",
            ],
            "eligibility": [
                "Relever de l'économie sociale et solidaire (loi n° 2014-856 du 31 juillet 2014)",
                "Avoir son siège ou réaliser le projet sur le territoire de l'agglomération",
                "Créer des emplois ou investir : 2 000 € par équivalent temps plein créé, dans la limite de 4 "
                "emplois, et 20 % d'un investissement de 15 000 € HT au plus",
                "Présenter un plan de financement équilibré",
            ],
            "required_document_kinds": [DocumentKind.STATUTES, DocumentKind.BANK_DETAILS, DocumentKind.BUDGET],
            "perimeter_note": "Les 100 communes de la Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane.",
            "legal_basis": (
                "Plan d'actions ESS d'Artois Comm., fiche 10 (2014), poursuivi par la CABBALR. Délibérations du "
                "Bureau communautaire au vu de l'avis de la commission ad hoc."
            ),
            "attributing_name": "Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane",
            "attributing_siret": CABBALR_SIRET,
            "contact_service": "Direction du développement économique — économie sociale et solidaire",
            "contact_email": "ess@bethune-bruay.example",
            "contact_phone": "03 21 61 49 00",
            "payment_terms": (
                "50 % à la signature de la convention, le solde sur justification des emplois créés et des "
                "investissements réalisés, dans les 24 mois."
            ),
            "advance_rate": Decimal("0.50"),
            "payment_period_months": 24,
            "notification_ue": False,
            "is_published": True,
            "source_note": SEED + ". Crédits de l'année et demandes : données fictives de démonstration.",
        },
    )
    RuleVersion.objects.update_or_create(
        scheme=scheme,
        valid_from=datetime.date(2014, 1, 1),
        defaults={
            "amount_per_fte": Decimal("2000.00"),
            "fte_cap": Decimal("4.00"),
            "investment_rate": Decimal("0.2000"),
            "investment_base_cap": Decimal("15000.00"),
            "source": SEED,
        },
    )
    year = timezone.localdate().year
    OpenPeriod.objects.update_or_create(
        scheme=scheme,
        starts_on=datetime.date(year, 1, 1),
        defaults={"ends_on": datetime.date(year, 12, 31), "label": f"Dépôt au fil de l'eau en {year}"},
    )
    from essaim.grants.services.deadlines import add_months

    old_year = (add_months(timezone.localdate(), -23) - datetime.timedelta(days=14)).year
    for one_year in sorted({year, year - 1, old_year}):
        services.envelope_save(
            scheme=scheme,
            year=one_year,
            credits=DEMO_CREDITS,
            vote_reference=f"Budget primitif {one_year} (montant fictif)",
        )
    return scheme


def _user(email, full_name):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=full_name)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _structure(n, name, family, commune):
    siret = fictitious_siret(n)
    structure = Structure.objects.filter(siret=siret).first()
    if structure is None:
        structure = Structure.objects.create(
            slug=f"demo-aides-{n}",
            name=name,
            siren=siret[:9],
            siret=siret,
            family=family,
            commune=commune,
            lat=commune.lat,
            lon=commune.lon,
            status=Status.PUBLISHED,
            ess_source=EssSource.DECLARED,
            description="Structure fictive de la démonstration des aides.",
            is_generated=True,
        )
        structures_changed([structure.pk])  # published: the directory's search index gets it
    return structure


# (key, applicant e-mail, form, case, title, summary, commune name, fte, investment, budget, target state, structure)
DEMO_APPLICATIONS = [
    ("ressourcerie", "porteur@essaim.example", GrantForm.START, "", "Ressourcerie des Terrils",
     "Collecte, valorisation et revente d'objets du quotidien ; ateliers de sensibilisation au réemploi.",
     "Nœux-les-Mines", "2.5", "18000", "62000", ApplicationState.DRAFT, ("new", 1, NewStructureFamily.ASSOCIATION)),
    ("cafe", "structure@essaim.example", GrantForm.START, "", "Café citoyen des Alouettes",
     "Un café associatif bio et équitable ouvert plusieurs soirées par semaine : ciné-débats, cafés littéraires, "
     "ateliers, à la maison du projet de l'éco-quartier des Alouettes.",
     "Bruay-la-Buissière", "1.5", "12000", "48000", ApplicationState.SUBMITTED,
     ("new", 2, NewStructureFamily.ASSOCIATION)),
    ("cae", "antenne.cae@essaim.example", GrantForm.DEVELOPMENT, DevelopmentCase.NEW_ESTABLISHMENT,
     "Antenne béthunoise de la coopérative d'activités et d'emploi",
     "Ouvrir une antenne de la CAE pour accueillir et accompagner les porteurs de projet qui testent leur activité.",
     "Béthune", "2", "9000", "70000", ApplicationState.UNDER_REVIEW, ("directory", 3, Family.COOPERATIVE)),
    ("velo", "atelier.velo@essaim.example", GrantForm.START, "", "Atelier de réemploi de vélos",
     "Récupérer des vélos abandonnés, les remettre en état avec des personnes en insertion et les revendre.",
     "Lillers", "1", "6500", "30000", ApplicationState.INCOMPLETE, ("new", 4, NewStructureFamily.ASSOCIATION)),
    ("mutualisation", "structure@essaim.example", GrantForm.DEVELOPMENT, DevelopmentCase.POOLING,
     "Véhicule et local de stockage partagés entre deux associations",
     "Deux associations d'aide alimentaire mutualisent un véhicule frigorifique et un local de stockage.",
     "Auchel", "0.5", "22000", "40000", ApplicationState.READY_FOR_COMMISSION, ("directory", 5, Family.ASSOCIATION)),
    ("epicerie", "epicerie.solidaire@essaim.example", GrantForm.START, "", "Épicerie solidaire du Bruaysis",
     "Une épicerie solidaire qui propose des produits à prix réduit et un accompagnement budgétaire.",
     "Bruay-la-Buissière", "3", "14000", "90000", ApplicationState.COMMISSION_REVIEWED,
     ("new", 6, NewStructureFamily.ASSOCIATION)),
    ("jardin", "jardin.insertion@essaim.example", GrantForm.DEVELOPMENT, DevelopmentCase.NEW_ACTIVITY,
     "Maraîchage biologique en chantier d'insertion",
     "Un atelier et chantier d'insertion crée une activité de maraîchage biologique vendue en circuit court.",
     "Houdain", "4", "15000", "95000", ApplicationState.GRANTED, ("directory", 7, Family.ASSOCIATION)),
    ("sap", "scic.domicile@essaim.example", GrantForm.START, "", "SCIC de services à la personne",
     "Une coopérative d'intérêt collectif d'aide à domicile qui associe salariés, usagers et communes.",
     "Isbergues", "5", "8000", "120000", ApplicationState.AGREEMENT_SIGNED,
     ("new", 8, NewStructureFamily.COOPERATIVE)),
    ("recyclerie", "recyclerie.btp@essaim.example", GrantForm.DEVELOPMENT, DevelopmentCase.NEW_ACTIVITY,
     "Recyclerie de matériaux du bâtiment",
     "Une entreprise d'insertion du bâtiment collecte et revend des matériaux de réemploi.",
     "Beuvry", "2", "20000", "85000", ApplicationState.IN_PAYMENT, ("directory", 9, Family.COMMERCIAL)),
    ("conciergerie", "conciergerie@essaim.example", GrantForm.START, "", "Conciergerie solidaire d'entreprises",
     "Une conciergerie qui rend des services aux salariés des entreprises du parc d'activités, en insertion.",
     "Béthune", "1.25", "5000", "45000", ApplicationState.CLOSED, ("new", 10, NewStructureFamily.COMMERCIAL)),
    ("repair", "repair.cafe@essaim.example", GrantForm.START, "", "Repair café itinérant",
     "Des ateliers de réparation dans les communes rurales de l'agglomération.",
     "Calonne-Ricouart", "0", "3000", "8000", ApplicationState.REFUSED, ("new", 11, NewStructureFamily.ASSOCIATION)),
    ("foodtruck", "porteur@essaim.example", GrantForm.START, "", "Food-truck solidaire de l'éco-quartier",
     "Un food-truck de cuisine locale tenu par des personnes en parcours d'insertion.",
     "Bruay-la-Buissière", "1", "25000", "60000", ApplicationState.WITHDRAWN,
     ("new", 12, NewStructureFamily.COMMERCIAL)),
    ("universite", "universite.populaire@essaim.example", GrantForm.START, "", "Université populaire des Alouettes",
     "Des cours du soir ouverts à tous, animés par des bénévoles.",
     "Bruay-la-Buissière", "0.5", "2000", "15000", ApplicationState.NO_FURTHER_ACTION,
     ("new", 13, NewStructureFamily.ASSOCIATION)),
    ("friperie", "friperie.solidaire@essaim.example", GrantForm.START, "", "Friperie solidaire de Marles",
     "Une association en cours de création ouvre une friperie et un atelier de retouche tenus par des bénévoles et "
     "deux salariées.",
     "Marles-les-Mines", "2", "7000", "40000", ApplicationState.GRANTED, ("new", 14, NewStructureFamily.ASSOCIATION)),
    ("couture", "atelier.couture@essaim.example", GrantForm.START, "", "Atelier de couture d'insertion",
     "Un atelier de couture qui forme et emploie des personnes éloignées de l'emploi.",
     "Divion", "2", "6000", "45000", ApplicationState.CLOSED, ("new", 15, NewStructureFamily.ASSOCIATION)),
    ("boutique", "boutique.paysanne@essaim.example", GrantForm.DEVELOPMENT, DevelopmentCase.POOLING,
     "Boutique paysanne partagée",
     "Des producteurs et une association d'insertion partagent une boutique de vente directe.",
     "Lillers", "1", "12000", "50000", ApplicationState.CANCELLED, ("new", 16, NewStructureFamily.COOPERATIVE)),
    ("laverie", "laverie.solidaire@essaim.example", GrantForm.START, "", "Laverie solidaire du Béthunois",
     "Une laverie à prix solidaires qui emploie des personnes en insertion.",
     "Béthune", "2", "15000", "60000", ApplicationState.IN_PAYMENT, ("new", 17, NewStructureFamily.ASSOCIATION)),
]  # fmt: skip
# The new paths: a new association still without SIRET once granted, a file closed after its advance only (the
# rest released), a grant cancelled then its advance paid back (reversement), and an older file (last years'
# credits) whose deadline to justify the balance is close.
NO_SIRET = {"friperie"}
PARTIAL = {"couture"}
OLD = {"laverie"}

ORDER = [
    ApplicationState.DRAFT,
    ApplicationState.SUBMITTED,
    ApplicationState.UNDER_REVIEW,
    ApplicationState.INCOMPLETE,
    ApplicationState.READY_FOR_COMMISSION,
    ApplicationState.COMMISSION_REVIEWED,
    ApplicationState.GRANTED,
    ApplicationState.AGREEMENT_SIGNED,
    ApplicationState.IN_PAYMENT,
    ApplicationState.CLOSED,
]


def _reached(target, state):
    """Whether an application heading for ``target`` passes through ``state`` (terminal side states aside)."""
    if target in ORDER:
        return ORDER.index(target) >= ORDER.index(state)
    side = {
        ApplicationState.REFUSED: ApplicationState.COMMISSION_REVIEWED,
        ApplicationState.WITHDRAWN: ApplicationState.SUBMITTED,
        ApplicationState.NO_FURTHER_ACTION: ApplicationState.UNDER_REVIEW,
        ApplicationState.CANCELLED: ApplicationState.IN_PAYMENT,
    }[target]
    return ORDER.index(side) >= ORDER.index(state)


def _fill(application, applicant, spec, territory_communes):
    key, _email, form, case, title, summary, commune_name, fte, investment, budget, _target, origin = spec
    commune = territory_communes[commune_name]
    kind, n, family = origin
    if kind == "directory":
        structure = _structure(n, _DIRECTORY_NAMES[key], family, commune)
        values = {"structure": structure}
    else:
        values = {
            "structure": None,
            "new_structure_name": _NEW_NAMES[key],
            "new_structure_family": family,
            "new_structure_siret": "" if key in NO_SIRET else fictitious_siret(n),
            "new_structure_rna": f"W62{n:07d}"
            if family == NewStructureFamily.ASSOCIATION and key not in NO_SIRET
            else "",
            "new_structure_address": f"{10 + n} rue de la Coopération, {commune.name}",
            "new_structure_commune": commune,
        }
    application = services.application_save_step(
        application=application, by=applicant, step="structure", values=values
    )
    application = services.application_save_step(
        application=application,
        by=applicant,
        step="projet",
        values={
            "project_title": title,
            "project_summary": summary,
            "project_commune": commune,
            "project_start": datetime.date(timezone.localdate().year, 9, 1),
            "project_budget": Decimal(budget),
        },
    )
    application = services.application_save_step(
        application=application,
        by=applicant,
        step="emplois",
        values={
            "fte_created": Decimal(fte),
            "jobs_description": "Postes en CDI, recrutés dans les six mois." if Decimal(fte) else "",
        },
    )
    application = services.application_save_step(
        application=application,
        by=applicant,
        step="investissement",
        values={
            "investment_excl_vat": Decimal(investment),
            "investment_description": "Aménagement du local, matériel et véhicule (devis joints).",
        },
    )
    rest = Decimal(budget) - application.computed_amount
    own = (rest * Decimal("0.4")).quantize(Decimal("0.01"))
    services.application_set_funding(
        application=application,
        by=applicant,
        lines=[
            {"kind": FundingKind.OWN, "funder": "Fonds propres", "amount": own, "is_secured": True},
            {
                "kind": FundingKind.PUBLIC,
                "funder": "Région Hauts-de-France",
                "amount": rest - own,
                "is_secured": False,
            },
        ],
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    for document_kind in (DocumentKind.STATUTES, DocumentKind.BANK_DETAILS, DocumentKind.BUDGET):
        services.document_add(
            application=application,
            by=applicant,
            kind=document_kind,
            upload=SimpleUploadedFile(
                f"{DEMO_FILE_NAMES[document_kind]}-{key}.pdf", DEMO_PDF, content_type="application/pdf"
            ),
        )
    application.refresh_from_db()
    return application


_DIRECTORY_NAMES = {
    "cae": "Coopérative d'activités et d'emploi de l'Artois (fictive)",
    "mutualisation": "Association Partage alimentaire du Bruaysis (fictive)",
    "jardin": "Les Jardins de l'Artois, chantier d'insertion (fictif)",
    "recyclerie": "Artois Réemploi Bâtiment, entreprise d'insertion (fictive)",
}
_NEW_NAMES = {
    "ressourcerie": "Ressourcerie des Terrils (projet fictif)",
    "cafe": "Café citoyen des Alouettes (association fictive)",
    "velo": "Vélos en Artois (association fictive)",
    "epicerie": "Épicerie solidaire du Bruaysis (association fictive)",
    "sap": "SCIC Domicile Artois (coopérative fictive)",
    "conciergerie": "Conciergerie solidaire de l'Artois (société fictive)",
    "repair": "Repair café itinérant (association fictive)",
    "foodtruck": "La Roulotte solidaire (société fictive)",
    "universite": "Université populaire des Alouettes (association fictive)",
    "friperie": "Friperie solidaire de Marles (association fictive, en création)",
    "couture": "Fil et Aiguille (association fictive)",
    "boutique": "Boutique paysanne de Lillers (coopérative fictive)",
    "laverie": "Laverie solidaire du Béthunois (association fictive)",
}

# The names of the demo documents, as people name their files (never an internal code).
DEMO_FILE_NAMES = {DocumentKind.STATUTES: "statuts", DocumentKind.BANK_DETAILS: "rib", DocumentKind.BUDGET: "budget"}

# Plausible French names for the demo applicants, all fictitious.
DEMO_PEOPLE = {
    "cae": "Nadia Benali (fictive)",
    "velo": "Thomas Lefebvre (fictif)",
    "epicerie": "Sandrine Dupuis (fictive)",
    "jardin": "Karim Haddad (fictif)",
    "sap": "Isabelle Caron (fictive)",
    "recyclerie": "Julien Vasseur (fictif)",
    "conciergerie": "Émilie Delattre (fictive)",
    "repair": "Lucas Wattez (fictif)",
    "universite": "Martine Leroy (fictive)",
    "friperie": "Fatima Ouali (fictive)",
    "couture": "Hélène Bouchez (fictive)",
    "boutique": "Antoine Dewailly (fictif)",
    "laverie": "Sophie Lemaire (fictive)",
}

EXAMINATION = {
    "ess_status": Assessment.MET,
    "ess_status_note": "Statuts conformes à la loi de 2014.",
    "territory": Assessment.MET,
    "territory_note": "Siège et activité sur l'agglomération.",
    "jobs": Assessment.MET,
    "jobs_note": "Postes décrits, calendrier réaliste.",
    "investment": Assessment.MET,
    "investment_note": "Devis fournis.",
    "financing": Assessment.PARTLY,
    "financing_note": "Cofinancement régional demandé, non encore acquis.",
    "documents": Assessment.MET,
    "documents_note": "Dossier complet.",
    "conclusion": "Projet solide, créateur d'emplois : avis favorable proposé.",
}


@transaction.atomic
def load_demo_grants(*, territories: dict) -> Scheme:
    """The scheme of the default territory (the CABBALR, ``territories["cabbalr"]``), its rule, the credits of the
    year and a dozen applications at every state. Needs the demo accounts (``load_demo_accounts`` first)."""
    territory = territories["cabbalr"]
    scheme = _scheme(territory)
    if scheme.applications.exists():
        return scheme
    officer = User.objects.get(email="agent@bethune-bruay.example")
    member = User.objects.get(email="commission@bethune-bruay.example")
    communes = {c.name: c for c in Commune.objects.filter(perimeters__territory=territory)}
    today = timezone.localdate()
    # Every date in the past, whatever the day the demo is loaded (a sitting records nothing before it sits).
    commission_day = today - datetime.timedelta(days=40)
    bureau_day = today - datetime.timedelta(days=20)

    apps = {}
    for spec in DEMO_APPLICATIONS:
        key, email, form, case, *_rest = spec
        applicant = User.objects.filter(email=email).first() or _user(
            email, DEMO_PEOPLE.get(key, "Camille Martin (fictif)")
        )
        application = services.application_create(scheme=scheme, applicant=applicant, form=form, development_case=case)
        apps[key] = (_fill(application, applicant, spec, communes), applicant, spec[10])

    def run(key, action, **kwargs):
        application, applicant, _ = apps[key]
        application.refresh_from_db()
        action(application=application, **kwargs)

    for key, (application, applicant, target) in apps.items():
        if not _reached(target, ApplicationState.SUBMITTED):
            continue
        services.application_submit(application=application, by=applicant, attested=True)
        if target == ApplicationState.WITHDRAWN:
            run(key, services.application_withdraw, by=applicant, comment="Projet reporté à l'an prochain.")
            continue
        if not _reached(target, ApplicationState.UNDER_REVIEW):
            continue
        services.application_assign(application=application, by=officer, officer=officer)
        run(key, services.application_officer_transition, by=officer, name="start_review")
        if target == ApplicationState.NO_FURTHER_ACTION:
            run(key, services.application_officer_transition, by=officer, name="drop",
                comment="Activité bénévole sans création d'emploi ni investissement significatif.")  # fmt: skip
            continue
        if target == ApplicationState.INCOMPLETE:
            run(key, services.application_officer_transition, by=officer, name="request_pieces",
                comment="Merci de joindre les devis des investissements et l'avis de situation SIRENE.")  # fmt: skip
            continue
        if not _reached(target, ApplicationState.READY_FOR_COMMISSION):
            services.examination_save(application=application, by=officer, values={"ess_status": Assessment.MET})
            continue
        services.examination_save(application=application, by=officer, values=EXAMINATION)
        run(key, services.application_officer_transition, by=officer, name="mark_ready")

    def sit(keys, commission_day, bureau_day, first_number):
        """A commission then a Bureau for ``keys``, then agreements and payments as each file's target says."""
        commission = services.session_create(
            scheme=scheme, kind=SessionKind.COMMISSION, date=commission_day, place="Hôtel communautaire, Béthune",
            members=[member], by=officer,
        )  # fmt: skip
        to_commission = [
            Application.objects.get(pk=apps[k][0].pk)
            for k in keys
            if _reached(apps[k][2], ApplicationState.COMMISSION_REVIEWED)
        ]
        services.session_set_agenda(session=commission, applications=to_commission)
        refused = apps["repair"][0].pk
        services.session_record_opinions(
            session=commission,
            by=officer,
            entries=[
                {
                    "application": a,
                    "opinion": Opinion.UNFAVOURABLE if a.pk == refused else Opinion.FAVOURABLE,
                    "proposed_amount": a.computed_amount,
                    "comment": "" if a.pk != refused else "Pas d'emploi créé ; orienter vers le DLA.",
                }
                for a in to_commission
            ],
        )
        bureau = services.session_create(
            scheme=scheme, kind=SessionKind.BUREAU, date=bureau_day, place="Hôtel communautaire, Béthune",
            members=[], by=officer,
        )  # fmt: skip
        to_bureau = [
            Application.objects.get(pk=apps[k][0].pk)
            for k in keys
            if _reached(apps[k][2], ApplicationState.GRANTED) or apps[k][2] == ApplicationState.REFUSED
        ]
        services.session_set_agenda(session=bureau, applications=to_bureau)
        services.session_record_decisions(
            session=bureau,
            by=officer,
            entries=[
                {
                    "application": a,
                    "outcome": DecisionOutcome.REFUSED if a.pk == refused else DecisionOutcome.GRANTED,
                    "amount": a.computed_amount,
                    "deliberation_number": f"B{bureau_day.year}-{index:03d}",
                    "deliberation_date": bureau_day,
                    "comment": "",
                }
                for index, a in enumerate(to_bureau, start=first_number)
            ],
        )
        for key in keys:
            application, applicant, target = apps[key]
            if not _reached(target, ApplicationState.AGREEMENT_SIGNED) or target == ApplicationState.REFUSED:
                continue
            run(key, services.agreement_sign, by=officer, signed_on=bureau_day + datetime.timedelta(days=7),
                reference=f"CONV-{bureau_day.year}-{application.pk:03d}")  # fmt: skip
            if not _reached(target, ApplicationState.IN_PAYMENT):
                continue
            application.refresh_from_db()
            advance = services.advance_suggestion(application)
            run(key, services.payment_record, by=officer, kind=PaymentKind.ADVANCE, amount=advance,
                paid_on=bureau_day + datetime.timedelta(days=12))  # fmt: skip
            if target == ApplicationState.CANCELLED:
                run(key, services.application_officer_transition, by=officer, name="cancel",
                    comment="Délibération d'annulation : le local partagé n'a pas pu être loué.")  # fmt: skip
                run(key, services.recovery_record, by=officer, amount=advance, on=today,
                    comment="Titre de recette : l'avance est reversée en totalité.")  # fmt: skip
            elif target == ApplicationState.CLOSED and key in PARTIAL:
                run(key, services.application_officer_transition, by=officer, name="close",
                    comment="L'atelier a fermé après six mois : le solde ne sera pas versé.")  # fmt: skip
            elif target == ApplicationState.CLOSED:
                application.refresh_from_db()
                achieved = application.fte_created - Decimal("0.5") if key == "conciergerie" else None
                run(key, services.balance_justify, by=applicant, fte_achieved=achieved or application.fte_created,
                    upload=SimpleUploadedFile(f"emplois-{key}.pdf", DEMO_PDF,
                                              content_type="application/pdf"))  # fmt: skip
                application.refresh_from_db()
                run(key, services.payment_record, by=officer, kind=PaymentKind.BALANCE,
                    amount=services.balance_suggestion(application),
                    paid_on=bureau_day + datetime.timedelta(days=19))  # fmt: skip
                run(key, services.application_officer_transition, by=officer, name="close",
                    comment="Emplois et investissements justifiés.")  # fmt: skip
        return bureau_day

    from essaim.grants.services.deadlines import add_months

    recent = [key for key in apps if key not in OLD]
    old_bureau_day = add_months(today, -23) - datetime.timedelta(days=14)
    sit(sorted(OLD), old_bureau_day - datetime.timedelta(days=20), old_bureau_day, 11)
    sit(recent, commission_day, bureau_day, 41)
    bureau_days = {key: (old_bureau_day if key in OLD else bureau_day) for key in apps}
    # Filing dates spread over the year, so that the time from filing to decision means something.
    for index, (key, (application, _applicant, _target)) in enumerate(apps.items()):
        if Application.objects.filter(pk=application.pk, submitted_at__isnull=False).exists():
            day = bureau_days[key] - datetime.timedelta(days=60 + 5 * index)
            filed = datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
            Application.objects.filter(pk=application.pk).update(submitted_at=filed)
    return scheme

"""The demo territories (see ``docs/demo.md`` for each datum and its source).

- Artois Comm. as the RTES members' directory described it on 25 August 2014 (seed 002), with its 65 communes
  until 2016 (reconstructed perimeter), its Mois de l'ESS figures (seed 000) and club (seed 004): the faithful
  archive, nothing invented (``artois.py``);
- its successor since 2017, the CA de Béthune-Bruay, Artois-Lys Romane (seed 001), the default territory: it takes
  over Artois Comm.'s policy through ``territory_inherit_policy`` (16 fiches marked "reprise d'Artois Comm."), and
  gets fictitious, marked contacts, budgets of the last four years and recent indicator values (``current.py``);
- the Pays du Ternois (seed 003) on the communes of the CC du Ternois.

Idempotent on any day: a second run writes nothing (rows are saved only when a value differs), and the recent
years' figures depend on the year only, so a load on another day of the same year changes nothing either.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from essaim.territories.demo.artois import (
    ARTOIS_AXES,
    ARTOIS_INDICATORS,
    ARTOIS_SHEETS,
    RTES_2014,
    SEED_CLUB,
    SEED_MOIS_ESS_2014,
    SEED_SALON,
    SEED_TERNOIS,
)
from essaim.territories.demo.current import (
    BUDGET_YEARS,
    CABBALR_CONTACTS,
    CABBALR_INDICATORS,
    FICTITIOUS_SOURCE,
    INDICATOR_YEARS,
    budget_for,
)
from essaim.territories.enums import ContactKind, SheetStatus, TerritoryKind
from essaim.territories.models import (
    ActionSheet,
    BudgetYear,
    CoFunding,
    Contact,
    Epci,
    Indicator,
    IndicatorValue,
    KeyFigure,
    PolicyAxis,
    Territory,
)
from essaim.territories.services import (
    DATA_DIR,
    read_perimeter_file,
    territory_inherit_policy,
    territory_set_perimeter,
    territory_set_perimeter_from_epci,
)

__all__ = ["load_demo_territories"]


def _upsert(model, lookup: dict, values: dict):
    """The row matching ``lookup``, created or updated with ``values``; saved only when something differs, so that
    loading the demo again leaves every row (and its ``updated_at``) as it was."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=[*changed, "updated_at"] if hasattr(obj, "updated_at") else changed)
    return obj


def _territory(slug: str, **fields) -> Territory:
    territory = Territory.objects.filter(slug=slug).first()
    if territory is not None and all(getattr(territory, name) == value for name, value in fields.items()):
        return territory
    territory = territory or Territory(slug=slug)
    for name, value in fields.items():
        setattr(territory, name, value)
    territory.full_clean(exclude=["logo"])
    territory.save()
    return territory


def _policy(territory, axes, sheets, indicators):
    axis_by_number = {}
    for number, title, objectives in axes:
        axis_by_number[number] = _upsert(
            PolicyAxis, {"territory": territory, "number": number}, {"title": title, "objectives": objectives}
        )
    sheet_by_number = {}
    for number, axis, title, summary, objectives, status in sheets:
        sheet_by_number[number] = _upsert(
            ActionSheet,
            {"territory": territory, "number": number},
            {
                "axis": axis_by_number[axis],
                "title": title,
                "summary": summary,
                "objectives": objectives,
                "status": status,
            },
        )
    for position, (sheet, name, unit, description, values) in enumerate(indicators):
        indicator = _upsert(
            Indicator,
            {"sheet": sheet_by_number[sheet], "name": name},
            {"unit": unit, "description": description, "position": position},
        )
        for year, value, source in values:
            _upsert(
                IndicatorValue, {"indicator": indicator, "year": year}, {"value": Decimal(value), "source": source}
            )


def _key_figures(territory, figures):
    for position, (label, value, unit, year, source) in enumerate(figures):
        _upsert(
            KeyFigure,
            {"territory": territory, "label": label},
            {"value": Decimal(value), "unit": unit, "year": year, "source": source, "position": position},
        )


def _load_cabbalr_today(cabbalr, artois, today):
    """The CABBALR takes over Artois Comm.'s policy, then gets its (fictitious) people, budgets and recent values."""
    territory_inherit_policy(territory=cabbalr, predecessor=artois, by=None)
    for position, (kind, full_name, title, service, function, email, phone) in enumerate(CABBALR_CONTACTS, 1):
        _upsert(
            Contact,
            {"territory": cabbalr, "full_name": full_name},
            {
                "kind": kind,
                "title": title,
                "service": service,
                "function": function,
                "email": email,
                "phone": phone,
                "position": position,
                "is_fictitious": True,
            },
        )
    names = [row[1] for row in CABBALR_CONTACTS]
    Contact.objects.filter(territory=cabbalr, is_fictitious=True).exclude(full_name__in=names).delete()
    for year in range(today.year - BUDGET_YEARS + 1, today.year + 1):
        spec = budget_for(year)
        budget = _upsert(
            BudgetYear,
            {"territory": cabbalr, "year": year},
            {
                "amount": spec["amount"],
                "fte": spec["fte"],
                "comment": spec["comment"],
                "source": FICTITIOUS_SOURCE,
                "is_fictitious": True,
            },
        )
        for funder, amount in spec["cofundings"]:
            _upsert(CoFunding, {"budget": budget, "funder": funder}, {"amount": amount})
    recent = range(today.year - INDICATOR_YEARS, today.year)
    for position, (number, name, unit, description, value_of, sourced) in enumerate(CABBALR_INDICATORS, 10):
        sheet = ActionSheet.objects.get(territory=cabbalr, origin__number=number, origin__territory=artois)
        if description is None:  # an indicator taken over from Artois Comm.
            indicator = Indicator.objects.get(sheet=sheet, name=name)
        else:
            indicator = _upsert(
                Indicator,
                {"sheet": sheet, "name": name},
                {"unit": unit, "description": description, "position": position},
            )
        for year, value, source in sourced:
            _upsert(
                IndicatorValue,
                {"indicator": indicator, "year": year},
                {"value": Decimal(value), "source": source, "is_fictitious": False},
            )
        if value_of is not None:
            for year in recent:
                _upsert(
                    IndicatorValue,
                    {"indicator": indicator, "year": year},
                    {"value": Decimal(value_of(year)), "source": FICTITIOUS_SOURCE, "is_fictitious": True},
                )


@transaction.atomic
def load_demo_territories(*, today: datetime.date | None = None) -> dict[str, Territory]:
    """Loads the three demo territories; ``today`` (default: today) places the CABBALR's recent years."""
    today = today or timezone.localdate()
    cabbalr = _territory(
        "bethune-bruay",
        siren="200072460",
        name="Béthune-Bruay, Artois-Lys Romane",
        official_name="Communauté d'agglomération de Béthune-Bruay, Artois-Lys Romane",
        kind=TerritoryKind.CA,
        epci=Epci.objects.get(pk="200072460"),
        valid_from=datetime.date(2017, 1, 1),
        description=(
            "Née le 1er janvier 2017 de la fusion d'Artois Comm., d'Artois-Lys et d'Artois-Flandres, la "
            "communauté d'agglomération a fait de l'économie sociale et solidaire un axe de développement majeur. "
            "Son service de développement économique est doté d'une cellule ESS qui accompagne de façon "
            "personnalisée les créateurs et suit les entreprises déjà implantées dans leurs phases d'évolution."
        ),
        policy_summary=(
            "L'ESS emploie un salarié sur dix sur le territoire et reste le domaine qui génère le plus de créations "
            "d'emplois depuis quelques années. Le Mois de l'ESS présente et promeut le secteur par de multiples "
            "rendez-vous ; le salon « Faites l'ESS » présente les dispositifs en faveur des porteurs de projet : "
            "formations, financements spécifiques, accompagnement personnalisé."
        ),
        policy_goals=["Consommer autrement", "Agir autrement", "Entreprendre autrement"],
        color="#0b5394",
        is_network_member=True,
        source_note=(
            f"{SEED_SALON} ; géographie officielle 2026 (100 communes) ; plan d'actions repris d'Artois Comm. "
            "(annuaire des adhérents du RTES, 2014). Les contacts de la cellule ESS, les budgets récents et les "
            "valeurs récentes des indicateurs sont des données fictives de démonstration, signalées comme telles."
        ),
    )
    territory_set_perimeter_from_epci(territory=cabbalr, epci=cabbalr.epci)
    _key_figures(
        cabbalr,
        [
            ("Part des salariés du territoire employés dans l'ESS", 10, "%", 2017, SEED_SALON),
            ("Acteurs fédérés au sein du Club des entrepreneurs ESS", 22, "acteurs", 2017, SEED_SALON),
        ],
    )

    artois = _territory(
        "artois-comm",
        siren=None,
        name="Artois Comm.",
        official_name="Communauté d'agglomération de l'Artois",
        kind=TerritoryKind.CA,
        epci=None,
        valid_until=datetime.date(2016, 12, 31),
        successor=cabbalr,
        description=(
            "Communauté d'agglomération de Béthune, Bruay-la-Buissière et Nœux-les-Mines. Elle a fait de "
            "l'économie sociale et solidaire l'un de ses chevaux de bataille au titre de sa compétence "
            "développement économique, avec un portail ESS et, chaque novembre, le Mois de l'ESS. Renseignements : "
            "direction du développement économique et emploi, 03 21 61 49 04."
        ),
        address="119 rue du Conseil de l'Europe",
        postcode="62700",
        city="Bruay-la-Buissière",
        phone="03 21 61 49 00",
        website="http://www.artoiscomm.fr",
        policy_summary="L'ESS en Artois Comm. est identifiée comme levier d'attractivité.",
        policy_goals=[
            "Développer l'économie sociale et solidaire pourvoyeuse d'emplois",
            "Rendre l'économie locale plus humaine, plus solidaire",
            "Favoriser la coopération entre acteurs économiques pluriels pour dynamiser le développement économique",
        ],
        declared_population=235000,
        declared_population_year=2014,
        declared_communes_count=65,
        color="#1f4e79",
        is_network_member=True,
        source_note=(
            f"{RTES_2014} ; {SEED_MOIS_ESS_2014} ; {SEED_CLUB}. Périmètre de 65 communes reconstitué (58 communes "
            "listées en 2002, 7 déduites autour de Nœux-les-Mines). Le SIREN n'est pas connu avec certitude : il "
            "est laissé vide."
        ),
    )
    territory_set_perimeter(
        territory=artois, entries=read_perimeter_file(DATA_DIR / "artois_comm_2016_65_communes_reconstructed.csv")
    )
    _upsert(
        Contact,
        {"territory": artois, "full_name": "Gérard Delahaye"},
        {
            "kind": ContactKind.ELECTED,
            "title": "Vice-Président en charge de l'Emploi et de l'Économie sociale et solidaire",
            "phone": "03 21 61 49 00",
            "position": 1,
        },
    )
    _upsert(
        Contact,
        {"territory": artois, "full_name": "Valérie Morel"},
        {
            "kind": ContactKind.STAFF,
            "service": "Direction du Développement Économique",
            "function": "Directrice création d'activités et emploi",
            "email": "valerie.morel@artoiscomm.fr",
            "phone": "03 21 61 49 00",
            "position": 1,
        },
    )
    budget = _upsert(
        BudgetYear,
        {"territory": artois, "year": 2014},
        {"amount": Decimal("201600"), "fte": Decimal("3"), "source": RTES_2014},
    )
    _upsert(
        CoFunding, {"budget": budget, "funder": "Conseil régional Nord-Pas de Calais"}, {"amount": Decimal("60460")}
    )
    _policy(artois, ARTOIS_AXES, ARTOIS_SHEETS, ARTOIS_INDICATORS)
    _key_figures(
        artois,
        [
            ("Établissements de l'ESS recensés", 350, "établissements", 2014, SEED_MOIS_ESS_2014),
            ("Part des actifs du territoire dans l'ESS", 10, "%", 2014, SEED_MOIS_ESS_2014),
            ("Membres du Club des entrepreneurs de l'ESS", 18, "membres", 2016, SEED_CLUB),
        ],
    )

    ternois = _territory(
        "ternois",
        siren="200069672",
        name="Pays du Ternois",
        official_name="Communauté de communes du Ternois",
        kind=TerritoryKind.CC,
        epci=Epci.objects.get(pk="200069672"),
        description=(
            "Territoire à dominante rurale de 104 communes et 38 500 habitants (chiffres de 2015). Que ce soit en "
            "termes de mobilité ou de services à la personne, des besoins existent et, en conséquence, il y a de la "
            "place pour les initiatives. Le périmètre affiché est celui de la communauté de communes du Ternois "
            "dans la géographie officielle 2026."
        ),
        policy_summary=(
            "Au sein de son Plan local de développement économique, signé avec la Région, le Pays du Ternois a "
            "inscrit l'économie sociale et solidaire au rayon des priorités."
        ),
        policy_goals=[
            "Répondre aux besoins du territoire en mobilité et en services à la personne",
            "Sensibiliser les jeunes à la création d'entreprise",
            "Consommer local en promouvant les circuits courts",
        ],
        declared_population=38500,
        declared_population_year=2015,
        declared_communes_count=104,
        color="#2e6b30",
        is_network_member=True,
        source_note=f"{SEED_TERNOIS} ; géographie officielle 2026 (CC du Ternois, 103 communes).",
    )
    territory_set_perimeter_from_epci(territory=ternois, epci=ternois.epci)
    _policy(
        ternois,
        [
            (
                1,
                "L'ESS, priorité du Plan local de développement économique",
                [
                    "Faire émerger des initiatives là où des besoins existent (mobilité, services à la personne)",
                ],
            )
        ],
        [
            (
                1,
                1,
                "Camp de l'innovation",
                "Opération du Plan local de développement économique organisée le 26 novembre 2015.",
                ["Sensibiliser des collégiens et lycéens à la création d'entreprise"],
                SheetStatus.DONE,
            ),
            (
                2,
                1,
                "Circuits courts et producteurs locaux",
                "Le Pays du Ternois agit depuis 2013 pour consommer local et promouvoir les circuits courts.",
                ["Promouvoir les circuits courts", "Fédérer les producteurs locaux"],
                SheetStatus.ONGOING,
            ),
        ],
        [
            (
                2,
                "Producteurs locaux engagés dans les circuits courts",
                "producteurs",
                "Producteurs locaux convaincus de l'intérêt des circuits courts.",
                [(2015, 40, SEED_TERNOIS)],
            ),
        ],
    )
    _key_figures(ternois, [("Emplois dans l'ESS", 120, "emplois", 2015, SEED_TERNOIS)])
    _load_cabbalr_today(cabbalr, artois, today)
    return {"cabbalr": cabbalr, "artois": artois, "ternois": ternois}

"""The club's demo — pooling (seed 004: « la mutualisation de moyens »): a dozen offers and needs (a shared van, the
Maison de la poésie's meeting room, a bookkeeper's time shared between associations, storage premises, a sound
system, skills; needs for a van on a collection day, a room for a training, a part-time bookkeeper), one match, the
van and the room as shared items with bookings in the coming weeks, an open group purchase of organic fair-trade
coffee for the cafés citoyens with three members' lines, and a few subscriptions. Every date is relative to
``today``; idempotent (rows found by title or name); no mail sent (rows written through the ORM)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from essaim.club.enums import BookingUnit, ListingCategory
from essaim.club.models import (
    CategorySubscription,
    GroupPurchase,
    ItemBooking,
    ItemBookingUnit,
    Listing,
    Match,
    PurchaseLine,
    SharedItem,
)
from essaim.club.services.items import period_of_days, period_of_hours, units_of

PREFERRED = [
    "maison-de-la-poesie",
    "l-effet-deco",
    "bge-hauts-de-france",
    "cae-artois",
    "pas-de-calais-actif",
    "apes",
    "maison-ecoquartier-alouettes",
    "apic",
]

# (key, member index, kind, category, title, description, days from / until (None: open), free, price, public)
LISTINGS = [
    (
        "van",
        1,
        "offer",
        "vehicle",
        "Camionnette 12 m³ à partager",
        "Un utilitaire de 12 m³ (permis B), en semaine et certains samedis. Carburant à la charge de l'emprunteur.",
        None,
        None,
        False,
        "35.00",
        True,
    ),
    (
        "room",
        0,
        "offer",
        "room",
        "Salle de réunion de la Maison de la poésie",
        "Salle de 25 places avec vidéoprojecteur, à Beuvry, réservable à l'heure pour les membres du club.",
        None,
        None,
        True,
        None,
        True,
    ),
    (
        "bookkeeper",
        3,
        "offer",
        "shared_staff",
        "Temps de comptable partagé (un jour par semaine)",
        "Notre comptable peut consacrer une journée par semaine à une ou deux associations du club.",
        0,
        180,
        False,
        "280.00",
        True,
    ),
    (
        "storage",
        6,
        "offer",
        "premises",
        "Local de stockage de 40 m²",
        "Un local sec et fermé, accessible en semaine, pour du matériel ou des stocks.",
        0,
        365,
        False,
        "90.00",
        False,
    ),
    (
        "sound",
        5,
        "offer",
        "equipment",
        "Sonorisation pour vos événements",
        "Deux enceintes, une table de mixage et deux micros sans fil ; prêt gratuit entre membres.",
        None,
        None,
        True,
        None,
        True,
    ),
    (
        "accounting",
        2,
        "offer",
        "skill",
        "Compétence : comptabilité associative",
        "Une demi-journée pour relire vos comptes annuels ou préparer un budget prévisionnel.",
        None,
        None,
        True,
        None,
        True,
    ),
    (
        "communication",
        4,
        "offer",
        "skill",
        "Compétence : communication et réseaux sociaux",
        "Un accompagnement pour votre plan de communication et vos publications.",
        None,
        None,
        True,
        None,
        False,
    ),
    (
        "need_van",
        7,
        "need",
        "vehicle",
        "Besoin d'une camionnette pour une journée de collecte",
        "Collecte de meubles et d'objets pour la ressourcerie, un samedi du mois prochain.",
        20,
        40,
        True,
        None,
        True,
    ),
    (
        "need_room",
        2,
        "need",
        "room",
        "Une salle pour une formation de deux jours",
        "Formation de quinze porteurs de projet : une salle équipée, deux jours consécutifs.",
        10,
        60,
        True,
        None,
        True,
    ),
    (
        "need_bookkeeper",
        5,
        "need",
        "shared_staff",
        "Comptable à temps partiel",
        "Nous cherchons à partager une comptable, une demi-journée à une journée par semaine.",
        0,
        120,
        False,
        None,
        False,
    ),
    (
        "need_storage",
        8,
        "need",
        "premises",
        "Lieu de stockage pour du matériel de festival",
        "Environ 20 m² de septembre à mai.",
        30,
        270,
        True,
        None,
        True,
    ),
    (
        "coffee",
        0,
        "offer",
        "group_purchase",
        "Achat groupé de café bio et équitable",
        "Pour les cafés citoyens et les réunions : commande commune auprès d'un torréfacteur de la région.",
        0,
        21,
        False,
        None,
        True,
    ),
]

PEOPLE = [("Élodie Deprez", "elodie.deprez"), ("Karim Benali", "karim.benali"), ("Sophie Lefebvre", "sophie.lefebvre")]


def _members(club):
    """The member structures of the demo, the preferred ones first, then any active member (never fewer than
    needed, as long as the club has members)."""
    active = list(club.members.active().select_related("structure", "structure__commune").order_by("pk"))
    by_slug = {m.structure.slug: m for m in active}
    chosen = [by_slug[slug] for slug in PREFERRED if slug in by_slug]
    chosen += [m for m in active if m not in chosen]
    return chosen


def _commune(member):
    return getattr(member.structure, "commune", None)


def load_demo_pooling(*, club, today) -> dict:
    members = _members(club)
    if len(members) < 2:
        return {"listings": 0}

    def pick(index):
        return members[index % len(members)]

    def day(n):
        return None if n is None else today + datetime.timedelta(days=n)

    listings = {}
    for key, index, kind, category, title, description, start, until, free, price, public in LISTINGS:
        member = pick(index)
        name, login = PEOPLE[index % len(PEOPLE)]
        listing = Listing.objects.filter(club=club, title=title).first()
        if listing is None:
            listing = Listing.objects.create(
                club=club,
                member=member,
                kind=kind,
                category=category,
                title=title,
                description=description,
                commune=_commune(member),
                available_from=day(start),
                available_until=day(until),
                is_free=free,
                price=Decimal(price) if price else None,
                price_note="" if free or price else "à discuter",
                contact_name=name,
                contact_email=f"{login}@{member.structure.slug or 'membre'}.example",
                show_publicly=public,
            )
        listings[key] = listing

    if listings["need_van"].member_id != listings["van"].member_id:
        Match.objects.get_or_create(
            need=listings["need_van"], offer=listings["van"], defaults={"note": "Pour la collecte du samedi."}
        )

    van = _item(club, listings["van"], "Camionnette 12 m³", ListingCategory.VEHICLE, BookingUnit.DAY)
    room = _item(club, listings["room"], "Salle de réunion (25 places)", ListingCategory.ROOM, BookingUnit.HOUR)
    if not ItemBooking.objects.filter(item=van).exists():
        _book(van, pick(2), *period_of_days(day(6), day(7)), "Déménagement de l'atelier")
        _book(van, pick(7), *period_of_days(day(24), day(24)), "Journée de collecte de la ressourcerie")
    if not ItemBooking.objects.filter(item=room).exists():
        _book(room, pick(3), *period_of_hours(day(3), datetime.time(9), datetime.time(12)), "Conseil d'administration")
        _book(room, pick(4), *period_of_hours(day(10), datetime.time(14), datetime.time(17)), "Atelier numérique")

    purchase, _ = GroupPurchase.objects.get_or_create(
        club=club,
        title="Café bio et équitable pour les cafés citoyens",
        defaults={
            "proposer": pick(0),
            "listing": listings["coffee"],
            "description": "Café en grains, torréfié dans la région, commande groupée par sacs de 1 kg.",
            "unit_label": "kg",
            "unit_price": Decimal("18.50"),
            "minimum_quantity": 30,
            "deadline": day(21),
        },
    )
    for index, quantity in ((0, 10), (4, 8), (5, 6)):
        PurchaseLine.objects.get_or_create(purchase=purchase, member=pick(index), defaults={"quantity": quantity})

    for index, categories in ((0, ["vehicle", "room"]), (2, ["shared_staff"]), (5, ["equipment", "premises"])):
        person = pick(index).people.select_related("user").first()
        if person is None:
            continue
        for category in categories:
            CategorySubscription.objects.get_or_create(
                club=club, user=person.user, category=category, defaults={"last_digest_at": timezone.now()}
            )
    return {"listings": len(listings)}


def _item(club, listing, name, category, unit):
    item = SharedItem.objects.filter(club=club, name=name).first()
    if item is None:
        item = SharedItem.objects.create(
            club=club,
            owner=listing.member,
            listing=listing,
            name=name,
            category=category,
            commune=listing.commune,
            unit=unit,
            description=listing.description,
        )
    return item


def _book(item, member, start, end, purpose):
    booking = ItemBooking.objects.create(item=item, member=member, start=start, end=end, purpose=purpose)
    ItemBookingUnit.objects.bulk_create(
        [ItemBookingUnit(item=item, booking=booking, start=unit) for unit in units_of(item, start, end)]
    )

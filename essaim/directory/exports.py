"""Open-data exports of the published directory: CSV (Excel and LibreOffice), GeoJSON (RFC 7946), schema.org
JSON-LD, and the data·inclusion ``structures`` schema. Each writer streams to a text stream, so a national
directory exports in flat memory. ``essaim export_opendata`` calls these; so do the API and the pages.

    export_structures_csv(*, structures, stream)
    export_structures_geojson(*, structures, stream, base_url="")
    export_structures_jsonld(*, structures, stream, base_url="")
    export_structures_data_inclusion(*, structures, stream, base_url="", source="essaim")
"""

import json

from essaim.core.spreadsheet import csv_writer
from essaim.directory.enums import Label
from essaim.directory.legal_forms import legal_form_label
from essaim.directory.models import Structure

CSV_COLUMNS = [
    ("id", "identifiant"),
    ("slug", "slug"),
    ("name", "dénomination"),
    ("usual_name", "nom d'usage"),
    ("siren", "SIREN"),
    ("siret", "SIRET"),
    ("rna", "RNA"),
    ("legal_form", "catégorie juridique"),
    ("legal_form_label", "libellé de la catégorie juridique"),
    ("family", "famille de l'ESS"),
    ("labels", "labels"),
    ("sectors", "secteurs"),
    ("naf_code", "code NAF"),
    ("naf_label", "activité principale"),
    ("address", "adresse"),
    ("postcode", "code postal"),
    ("commune_insee", "code INSEE de la commune"),
    ("commune", "commune"),
    ("lat", "latitude"),
    ("lon", "longitude"),
    ("headcount_band", "tranche d'effectif"),
    ("is_employer", "employeuse"),
    ("website", "site internet"),
    ("email", "e-mail"),
    ("phone", "téléphone"),
    ("opening_hours", "horaires (OSM)"),
    ("ess_source", "origine du statut ESS"),
    ("verified_at", "à jour le"),
    ("updated_at", "modifiée le"),
    ("is_generated", "fictive (générée)"),
    ("url", "page"),
]


def published_structures():
    """The queryset every export reads: published structures with what they show, in stable order."""
    return Structure.objects.published().select_related("commune").prefetch_related("labels", "sectors").order_by("id")


def _iterate(structures):
    if hasattr(structures, "iterator") and not getattr(structures, "_result_cache", None):
        return structures.iterator(chunk_size=2000)
    return structures


def structure_record(structure, *, base_url: str = "") -> dict:
    """One structure as a flat dict of public fields (the CSV row, the GeoJSON properties)."""
    commune = structure.commune
    return {
        "id": structure.pk,
        "slug": structure.slug,
        "name": structure.name,
        "usual_name": structure.usual_name,
        "siren": structure.siren,
        "siret": structure.siret or "",
        "rna": structure.rna,
        "legal_form": structure.legal_form,
        "legal_form_label": legal_form_label(structure.legal_form),
        "family": structure.family,
        "labels": [label.label for label in structure.labels.all()],
        "sectors": [sector.slug for sector in structure.sectors.all()],
        "naf_code": structure.naf_code,
        "naf_label": structure.naf_label,
        "address": structure.address,
        "postcode": structure.postcode,
        "commune_insee": commune.insee_code if commune else "",
        "commune": commune.name if commune else "",
        "lat": structure.lat,
        "lon": structure.lon,
        "headcount_band": structure.headcount_band,
        "is_employer": structure.is_employer,
        "website": structure.website,
        "email": structure.email,
        "phone": structure.phone,
        "opening_hours": structure.opening_hours,
        "ess_source": structure.ess_source,
        "verified_at": structure.verified_at.date().isoformat() if structure.verified_at else "",
        "updated_at": structure.updated_at.date().isoformat() if structure.updated_at else "",
        "is_generated": structure.is_generated,
        "url": base_url + structure.get_absolute_url(),
    }


def export_structures_csv(*, structures, stream, base_url: str = "") -> int:
    """CSV that opens cleanly in Excel and LibreOffice: UTF-8 with a BOM, semicolons, CRLF, a French header;
    lists are ``|``-separated. Returns the number of rows."""
    writer = csv_writer(stream)
    writer.writerow([title for _, title in CSV_COLUMNS])
    n = 0
    for structure in _iterate(structures):
        record = structure_record(structure, base_url=base_url)
        writer.writerow([record[key] for key, _ in CSV_COLUMNS])
        n += 1
    return n


def structure_feature(structure, *, base_url: str = "") -> dict:
    """An RFC 7946 Feature: a Point in WGS 84, longitude first; no geometry when the place is unknown."""
    geometry = None
    if structure.lat is not None and structure.lon is not None:
        geometry = {"type": "Point", "coordinates": [round(structure.lon, 6), round(structure.lat, 6)]}
    properties = structure_record(structure, base_url=base_url)
    properties.pop("lat")
    properties.pop("lon")
    return {"type": "Feature", "id": structure.pk, "geometry": geometry, "properties": properties}


def export_structures_geojson(*, structures, stream, base_url: str = "") -> int:
    stream.write('{"type":"FeatureCollection","features":[')
    n = 0
    for structure in _iterate(structures):
        if n:
            stream.write(",")
        stream.write(json.dumps(structure_feature(structure, base_url=base_url), ensure_ascii=False))
        n += 1
    stream.write("]}")
    return n


def structure_jsonld(structure, *, base_url: str = "") -> dict:
    """schema.org ``Organization`` (NGO for associations), as the structure page embeds it."""
    commune = structure.commune
    data = {
        "@context": "https://schema.org",
        "@type": "NGO" if structure.family == "association" else "Organization",
        "@id": base_url + structure.get_absolute_url(),
        "url": structure.website or base_url + structure.get_absolute_url(),
        "name": structure.name,
    }
    if structure.usual_name:
        data["alternateName"] = structure.usual_name
    if structure.description:
        data["description"] = structure.description
    if structure.siret:
        data["identifier"] = [{"@type": "PropertyValue", "propertyID": "SIRET", "value": structure.siret}]
    elif structure.siren:
        data["identifier"] = [{"@type": "PropertyValue", "propertyID": "SIREN", "value": structure.siren}]
    if structure.rna:
        data.setdefault("identifier", []).append(
            {"@type": "PropertyValue", "propertyID": "RNA", "value": structure.rna}
        )
    if structure.naf_code:
        data["naics"] = structure.naf_code
    if structure.email:
        data["email"] = structure.email
    if structure.phone:
        data["telephone"] = structure.phone
    address = {"@type": "PostalAddress", "addressCountry": "FR"}
    if structure.address:
        address["streetAddress"] = structure.address
    if structure.postcode:
        address["postalCode"] = structure.postcode
    if commune:
        address["addressLocality"] = commune.name
    data["address"] = address
    if structure.lat is not None:
        data["location"] = {
            "@type": "Place",
            "geo": {"@type": "GeoCoordinates", "latitude": structure.lat, "longitude": structure.lon},
        }
    if structure.opening_hours:
        data["openingHours"] = structure.opening_hours
    labels = [dict(Label.choices).get(label.label, label.label) for label in structure.labels.all()]
    if labels:
        data["award"] = labels
    if structure.logo:
        data["logo"] = base_url + structure.logo.url
    return data


def export_structures_jsonld(*, structures, stream, base_url: str = "") -> int:
    stream.write('{"@context":"https://schema.org","@graph":[')
    n = 0
    for structure in _iterate(structures):
        if n:
            stream.write(",")
        record = structure_jsonld(structure, base_url=base_url)
        record.pop("@context")
        stream.write(json.dumps(record, ensure_ascii=False))
        n += 1
    stream.write("]}")
    return n


def structure_data_inclusion(structure, *, base_url: str = "", source: str = "essaim") -> dict:
    """A structure in the data·inclusion ``structures`` schema (v1), as its Python package validates it."""
    commune = structure.commune
    record = {
        "source": source,
        "id": f"{source}--{structure.pk}",
        "nom": (structure.display_name[:150]).rstrip(".").ljust(3, "_"),
        "date_maj": (structure.verified_at or structure.updated_at).date().isoformat(),
        "lien_source": (base_url + structure.get_absolute_url()) if base_url else None,
        "siret": structure.siret or None,
        "commune": commune.name if commune else None,
        "code_postal": structure.postcode or None,
        "code_insee": commune.insee_code if commune else None,
        "adresse": structure.address or None,
        "longitude": structure.lon,
        "latitude": structure.lat,
        "telephone": structure.phone or None,
        "courriel": structure.email or None,
        "site_web": structure.website or None,
        "horaires_accueil": structure.opening_hours or None,
        "description": structure.description if len(structure.description) >= 5 else None,
    }
    return record


def export_structures_data_inclusion(*, structures, stream, base_url: str = "", source: str = "essaim") -> int:
    stream.write("[")
    n = 0
    for structure in _iterate(structures):
        if n:
            stream.write(",")
        stream.write(
            json.dumps(structure_data_inclusion(structure, base_url=base_url, source=source), ensure_ascii=False)
        )
        n += 1
    stream.write("]")
    return n

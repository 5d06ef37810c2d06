"""The observatory's downloads in open-data shape (data.gouv.fr's conventions): one CSV per table, the year's value
figures in ``indicateurs.csv`` with their definitions and sources, and the whole as a dated zip with its
``datapackage.json`` (Frictionless Data Package, each resource with its Table Schema) and its licence (Licence
Ouverte / Open Licence 2.0, etalab-2.0). Everything reads ``essaim.observatory.figures``' shapes only.

- ``table_columns(figure)``, ``table_records(figure)``: a table's columns (name, type, title, description) and rows;
- ``key_columns()``, ``key_records(figure_sets)``: the value figures of the year (« chiffres-cles »);
- ``csv_text(columns, records)``: CSV text through ``essaim.core.spreadsheet.csv_writer``;
- ``package_bytes(territory=, year=, figure_sets=, created=)``: the zip.
"""

import datetime
import io
import json
import zipfile
from decimal import Decimal

from django.utils import timezone

from essaim.core.spreadsheet import csv_writer

KEY_FIGURES = "chiffres-cles"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
LICENCE_TEXT = """Licence Ouverte / Open Licence version 2.0 (Etalab, avril 2017)

Ces données sont publiées par {territory} sous la Licence Ouverte / Open Licence version 2.0.

Vous êtes libre de réutiliser l'« Information » : la reproduire, la copier, la publier et la transmettre ; la
diffuser et la redistribuer ; l'adapter, la modifier, l'extraire et la transformer, notamment pour créer des
« Informations dérivées » ; l'exploiter à titre commercial, par exemple en la combinant avec d'autres informations,
ou en l'incluant dans votre propre produit ou application.

Sous réserve de mentionner la paternité de l'« Information » : sa source (au moins le nom du producteur,
{territory}) et la date de sa dernière mise à jour ({created}).

Texte intégral : {url}
"""


def _number_type(values) -> str:
    known = [v for v in values if v is not None]
    return "integer" if known and all(isinstance(v, int) and not isinstance(v, bool) for v in known) else "number"


def _plain(value):
    """A value as JSON writes it: Decimals as floats (or ints when whole)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def detail_keys(figure) -> list[str]:
    """The detail columns of a table (``detail`` of its rows), in their first order."""
    keys = []
    for row in figure.rows:
        for key in (row.get("detail") or {}).keys():
            if key not in keys:
                keys.append(key)
    return keys


def table_columns(figure) -> list[dict]:
    """The Table Schema fields of a table: key, label, value, then one column per detail."""
    details = detail_keys(figure)
    columns = [
        {"name": "cle", "type": "string", "title": "Clé", "description": "Code stable de la ligne."},
        {"name": "libelle", "type": "string", "title": "Libellé", "description": "Libellé de la ligne."},
        {
            "name": "valeur",
            "type": _number_type([r.get("value") for r in figure.rows]),
            "title": f"Valeur ({figure.unit})" if figure.unit else "Valeur",
            "description": figure.definition,
        },
    ]
    for key in details:
        columns.append(
            {
                "name": f"detail_{key}",
                "type": _number_type([(r.get("detail") or {}).get(key) for r in figure.rows]),
                "title": f"Dont {key}",
                "description": f"Part de la valeur de la ligne dont le détail est « {key} ».",
            }
        )
    return columns


def table_records(figure) -> list[list]:
    details = detail_keys(figure)
    return [
        [
            str(row.get("key", "")),
            str(row.get("label", "")),
            _plain(row.get("value")),
            *[_plain((row.get("detail") or {}).get(k)) for k in details],
        ]
        for row in figure.rows
    ]


def key_columns() -> list[dict]:
    def text(name, title, description):
        return {"name": name, "type": "string", "title": title, "description": description}

    return [
        text("code", "Code", "Code stable de l'indicateur : <capacité>.<chiffre>."),
        text("capacite", "Capacité", "Capacité d'Essaim qui calcule l'indicateur."),
        text("nom", "Nom", "Nom de l'indicateur."),
        {"name": "annee", "type": "integer", "title": "Année", "description": "Année civile de la valeur."},
        {"name": "valeur", "type": "number", "title": "Valeur", "description": "Vide quand elle ne se calcule pas."},
        text("unite", "Unité", "Unité de la valeur."),
        text("definition", "Définition", "Ce qui est compté, et comment."),
        text("source", "Source", "Quelles données, quel filtre."),
        text("origine", "Origine", "« live » : calculée à l'instant ; « snapshot » : figée en fin d'année."),
        {
            "name": "calcule_le",
            "type": "datetime",
            "title": "Calculée le",
            "description": "Moment du calcul (ISO 8601).",
        },
    ]


def key_records(figure_sets) -> list[list]:
    found = []
    for figures in figure_sets:
        for figure in figures.figures:
            if figure.kind != "value":
                continue
            found.append(
                [
                    figure.code,
                    figures.code,
                    figure.name,
                    figures.year,
                    _plain(figure.value),
                    figure.unit,
                    figure.definition,
                    figure.source,
                    str(figures.origin),
                    timezone.localtime(figures.computed_at).isoformat(timespec="seconds"),
                ]
            )
    return found


def csv_text(columns, records) -> str:
    out = io.StringIO()
    writer = csv_writer(out, delimiter=",", bom=False, lineterminator="\n")
    writer.writerow([c["name"] for c in columns])
    writer.writerows(records)
    return out.getvalue()


def json_data(columns, records, **about) -> dict:
    """A table as JSON: what it is (``about``), its schema's fields, and its rows as objects."""
    names = [c["name"] for c in columns]
    return {**about, "schema": {"fields": columns}, "data": [dict(zip(names, r, strict=True)) for r in records]}


def tables_of(figure_sets) -> list:
    """Every table figure of the year, in registry order."""
    return [f for figures in figure_sets for f in figures.figures if f.kind == "table"]


def file_name(code: str) -> str:
    return code.replace(".", "-").replace("_", "-") + ".csv"


def package_bytes(*, territory, year: int, figure_sets, created: datetime.date | None = None) -> bytes:
    """The year's open-data package as zip bytes."""
    created = created or timezone.localdate()
    files = [("indicateurs.csv", "indicateurs", "Indicateurs de l'année", "", key_columns(), key_records(figure_sets))]
    for figure in tables_of(figure_sets):
        files.append((file_name(figure.code), figure.code, figure.name, figure.definition, *table_data(figure)))
    resources = []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, code, title, description, columns, records in files:
            archive.writestr(path, csv_text(columns, records))
            resources.append(
                {
                    "name": code.replace(".", "-").replace("_", "-").lower(),
                    "path": path,
                    "title": title,
                    "description": description,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "profile": "tabular-data-resource",
                    "dialect": {"delimiter": ",", "header": True},
                    "schema": {"fields": columns},
                }
            )
        descriptor = {
            "profile": "tabular-data-package",
            "name": f"essaim-observatoire-{territory.slug}-{year}",
            "title": f"Observatoire de l'ESS — {territory.name}, {year}",
            "description": "Chiffres de l'économie sociale et solidaire du territoire calculés par Essaim à partir "
            "de ses données (annuaire, agenda, aides, accompagnement, club), avec leurs définitions et sources.",
            "created": created.isoformat(),
            "licenses": [LICENCE],
            "sources": [{"title": f"Essaim — {territory.name}"}],
            "resources": resources,
        }
        archive.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2))
        licence = LICENCE_TEXT.format(territory=territory.name, created=created.isoformat(), url=LICENCE["path"])
        archive.writestr("LICENCE.txt", licence)
    return out.getvalue()


def table_data(figure):
    return table_columns(figure), table_records(figure)

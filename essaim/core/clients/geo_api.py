"""Client for the French government's geography API (geo.api.gouv.fr).

Optional: Essaim ships the official geography and never calls this at run time by default. ``essaim import_geo
--source api`` uses it to refresh communes, EPCI, départements and régions when a network exists. Tests always pass
a fake transport (``httpx.MockTransport``).
"""

import httpx
from django.conf import settings


class GeoApiError(Exception):
    pass


class GeoApiClient:
    def __init__(self, base_url: str | None = None, transport: httpx.BaseTransport | None = None, timeout=30.0):
        self.client = httpx.Client(
            base_url=base_url or settings.ESSAIM_GEO_API_URL,
            transport=transport,
            timeout=timeout,
            headers={"User-Agent": "Essaim (logiciel libre, ESS)"},
        )

    def _get(self, path: str, **params) -> list[dict]:
        try:
            response = self.client.get(path, params=params)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise GeoApiError(f"geo.api.gouv.fr ne répond pas correctement ({path}) : {exc}") from exc

    def commune_rows(self) -> list[dict]:
        """Every current commune, in the shape of the shipped communes file (see ``services.geo_import``)."""
        regions = {r["code"]: r["nom"] for r in self._get("/regions")}
        departements = {d["code"]: d["nom"] for d in self._get("/departements")}
        epcis = {e["code"]: e["nom"] for e in self._get("/epcis", fields="nom,code")}
        communes = self._get(
            "/communes",
            fields="nom,code,codesPostaux,siren,codeEpci,codeDepartement,codeRegion,population,centre",
            format="json",
            type="commune-actuelle",
        )
        rows = []
        for c in communes:
            centre = (c.get("centre") or {}).get("coordinates") or [None, None]
            epci_code = c.get("codeEpci") or ""
            epci_name = epcis.get(epci_code, "")
            rows.append(
                {
                    "code_insee": c["code"],
                    "nom": c["nom"],
                    "codes_postaux": "|".join(c.get("codesPostaux") or []),
                    "departement": c.get("codeDepartement", ""),
                    "departement_nom": departements.get(c.get("codeDepartement", ""), ""),
                    "region": c.get("codeRegion", ""),
                    "region_nom": regions.get(c.get("codeRegion", ""), ""),
                    "siren_commune": c.get("siren", ""),
                    "epci_siren": epci_code,
                    "epci_nom": epci_name,
                    "epci_type": epci_kind_from_name(epci_name),
                    "population": c.get("population") or 0,
                    "lat": centre[1],
                    "lon": centre[0],
                }
            )
        return rows


def epci_kind_from_name(name: str) -> str:
    """geo.api.gouv.fr gives no EPCI kind; its official names start with it ("CA de …", "Métropole …")."""
    lowered = name.lower()
    if lowered.startswith("métropole de lyon"):
        return "MET69"
    if lowered.startswith(("métropole", "metropole")):
        return "METRO"
    for prefix in ("CA", "CC", "CU"):
        if name.startswith(prefix + " "):
            return prefix
    return "CC" if name else ""

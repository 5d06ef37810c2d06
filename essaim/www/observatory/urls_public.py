from django.urls import path

from essaim.www.observatory import public

urlpatterns = [
    # territories with figures; a single-territory site goes straight to its own
    path("", public.index, name="index"),
    # key figures with evolution, charts (SVG) + tables + definitions, choropleth by commune; ?annee=&famille=&secteur=
    path("<slug:slug>/", public.territory_page, name="territory"),
    # one table (a figure of kind table, or the key figures "chiffres-cles") as CSV / JSON; ?annee=
    path("<slug:slug>/tableaux/<str:code>.csv", public.table_csv, name="table_csv"),
    path("<slug:slug>/tableaux/<str:code>.json", public.table_json, name="table_json"),
    # the dated open-data package of a year: CSV files + datapackage.json (Frictionless) + LICENCE (Licence Ouverte)
    path("<slug:slug>/donnees-<int:year>.zip", public.package, name="package"),
    # the definitions and sources of every figure
    path("<slug:slug>/definitions/", public.definitions, name="definitions"),
]

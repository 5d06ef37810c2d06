from django.urls import path

from essaim.www.observatory.pending import pending

urlpatterns = [
    # territories with figures; a single-territory site goes straight to its own
    path("", pending, name="index"),
    # key figures with evolution, charts (SVG) + tables + definitions, choropleth by commune; ?annee=&famille=&secteur=
    path("<slug:slug>/", pending, name="territory"),
    # one table (a figure of kind table, or the key figures "chiffres-cles") as CSV / JSON; ?annee=
    path("<slug:slug>/tableaux/<str:code>.csv", pending, name="table_csv"),
    path("<slug:slug>/tableaux/<str:code>.json", pending, name="table_json"),
    # the dated open-data package of a year: CSV files + datapackage.json (Frictionless) + LICENCE (Licence Ouverte)
    path("<slug:slug>/donnees-<int:year>.zip", pending, name="package"),
    # the definitions and sources of every figure
    path("<slug:slug>/definitions/", pending, name="definitions"),
]

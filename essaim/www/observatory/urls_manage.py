from django.urls import path

from essaim.www.observatory.pending import pending

urlpatterns = [
    # the team: entered figures (total employment…), snapshots (freeze a year on demand), fiche bindings
    path("<slug:slug>/gestion/", pending, name="manage"),
    path("<slug:slug>/gestion/chiffres-saisis/", pending, name="entered"),
    path("<slug:slug>/gestion/figer/", pending, name="freeze"),
]

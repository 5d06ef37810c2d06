from django.urls import path

from essaim.www.observatory import manage

urlpatterns = [
    # the team: entered figures (total employment…), snapshots (freeze a year on demand), fiche bindings
    path("<slug:slug>/gestion/", manage.manage, name="manage"),
    path("<slug:slug>/gestion/chiffres-saisis/", manage.entered, name="entered"),
    path("<slug:slug>/gestion/figer/", manage.freeze, name="freeze"),
]

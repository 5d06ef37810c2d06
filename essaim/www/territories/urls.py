from django.urls import path

from essaim.www.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.territory_list, name="list"),
    path("<slug:slug>/", views.territory_detail, name="detail"),
    path("<slug:slug>/fiches/<int:number>/", views.sheet_detail, name="sheet"),
    path("<slug:slug>/sources/", views.territory_sources, name="sources"),
]

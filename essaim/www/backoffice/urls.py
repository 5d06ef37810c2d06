from django.urls import path

from essaim.www.backoffice.views import content, jobs, policy, staff, territory

app_name = "backoffice"


def crud(prefix, name, module, stem, parent=""):
    """list, create, update and delete URLs of one section: <prefix>/, ajouter/, <pk>/modifier/, <pk>/supprimer/."""
    base = f"<slug:slug>/{parent}{prefix}/"
    return [
        path(f"{base}ajouter/", getattr(module, f"{stem}CreateView").as_view(), name=f"{name}_create"),
        path(f"{base}<int:pk>/modifier/", getattr(module, f"{stem}UpdateView").as_view(), name=f"{name}_update"),
        path(f"{base}<int:pk>/supprimer/", getattr(module, f"{stem}DeleteView").as_view(), name=f"{name}_delete"),
    ]


urlpatterns = [
    path("", territory.dashboard, name="dashboard"),
    path("taches/", jobs.job_list, name="jobs"),  # before <slug>/: a territory may not be called "taches"
    path("taches/<int:pk>/relancer/", jobs.job_relaunch_view, name="job_relaunch"),
    path("<slug:slug>/", territory.TerritoryHomeView.as_view(), name="territory"),
    path("<slug:slug>/identite/", territory.IdentityView.as_view(), name="identity"),
    path("<slug:slug>/perimetre/", territory.PerimeterView.as_view(), name="perimeter"),
    path("<slug:slug>/chiffres-de-l-annuaire/", territory.FiguresView.as_view(), name="figures"),
    path("<slug:slug>/perimetre/resynchroniser/", territory.PerimeterSyncView.as_view(), name="perimeter_sync"),
    path("<slug:slug>/contacts/", content.ContactListView.as_view(), name="contacts"),
    *crud("contacts", "contact", content, "Contact"),
    path("<slug:slug>/budgets/", content.BudgetListView.as_view(), name="budgets"),
    *crud("budgets", "budget", content, "Budget"),
    path("<slug:slug>/chiffres-cles/", content.KeyFigureListView.as_view(), name="key_figures"),
    *crud("chiffres-cles", "key_figure", content, "KeyFigure"),
    path("<slug:slug>/politique/", policy.PolicyView.as_view(), name="policy"),
    path(
        "<slug:slug>/politique/reprendre/<slug:predecessor>/",
        policy.PolicyInheritView.as_view(),
        name="policy_inherit",
    ),
    *crud("axes", "axis", policy, "Axis", parent="politique/"),
    *crud("fiches", "sheet", policy, "Sheet", parent="politique/"),
    path("<slug:slug>/politique/fiches/<int:pk>/", policy.SheetDetailView.as_view(), name="sheet"),
    *crud("indicateurs", "indicator", policy, "Indicator", parent="politique/fiches/<int:sheet_pk>/"),
    path("<slug:slug>/equipe/", staff.StaffView.as_view(), name="staff"),
    path("<slug:slug>/equipe/<int:pk>/modifier/", staff.MembershipUpdateView.as_view(), name="membership_update"),
    path("<slug:slug>/equipe/<int:pk>/retirer/", staff.MembershipDeleteView.as_view(), name="membership_delete"),
]

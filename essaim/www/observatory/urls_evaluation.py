from django.urls import path

from essaim.www.observatory import evaluation

urlpatterns = [
    # the team and the elected members: the years of evaluation
    path("<slug:slug>/evaluation/", evaluation.evaluation_index, name="evaluation_index"),
    # one year: every fiche with its evaluation's status; officers write, the admin validates
    path("<slug:slug>/evaluation/<int:year>/", evaluation.evaluation_year, name="evaluation"),
    path(
        "<slug:slug>/evaluation/<int:year>/fiches/<int:number>/",
        evaluation.evaluation_sheet,
        name="evaluation_sheet",
    ),
    path(
        "<slug:slug>/evaluation/<int:year>/fiches/<int:number>/valider/",
        evaluation.evaluation_validate,
        name="evaluation_validate",
    ),
    # the report for the elected members: accessible HTML and PDF (WeasyPrint)
    path("<slug:slug>/evaluation/<int:year>/rapport/", evaluation.report, name="report"),
    path("<slug:slug>/evaluation/<int:year>/rapport.pdf", evaluation.report_pdf, name="report_pdf"),
]

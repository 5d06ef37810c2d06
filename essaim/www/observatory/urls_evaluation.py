from django.urls import path

from essaim.www.observatory.pending import pending

urlpatterns = [
    # the team and the elected members: the years of evaluation
    path("<slug:slug>/evaluation/", pending, name="evaluation_index"),
    # one year: every fiche with its evaluation's status; officers write, the admin validates
    path("<slug:slug>/evaluation/<int:year>/", pending, name="evaluation"),
    path("<slug:slug>/evaluation/<int:year>/fiches/<int:number>/", pending, name="evaluation_sheet"),
    path("<slug:slug>/evaluation/<int:year>/fiches/<int:number>/valider/", pending, name="evaluation_validate"),
    # the report for the elected members: accessible HTML and PDF (WeasyPrint)
    path("<slug:slug>/evaluation/<int:year>/rapport/", pending, name="report"),
    path("<slug:slug>/evaluation/<int:year>/rapport.pdf", pending, name="report_pdf"),
]

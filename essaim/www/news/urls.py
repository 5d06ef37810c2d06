from django.urls import path

from essaim.www.news import manage, newsletter, public

app_name = "news"

urlpatterns = [
    path("", public.news_list, name="list"),
    path("feed.xml", public.news_feed, name="feed"),
    path("gestion/", manage.manage, name="manage"),
    path("gestion/<slug:territory>/nouvelle/", manage.item_new, name="item_new"),
    path("gestion/<int:pk>/modifier/", manage.item_edit, name="item_edit"),
    path("gestion/<int:pk>/publier/", manage.item_publish_view, name="item_publish"),
    path("gestion/<int:pk>/depublier/", manage.item_unpublish_view, name="item_unpublish"),
    path("gestion/<slug:territory>/lettres/", newsletter.issues, name="issues"),
    path("gestion/<slug:territory>/lettres/nouvelle/", newsletter.issue_new, name="issue_new"),
    path("gestion/lettres/<int:pk>/", newsletter.issue_detail, name="issue"),
    path("gestion/lettres/<int:pk>/modifier/", newsletter.issue_edit, name="issue_edit"),
    path("gestion/lettres/<int:pk>/envoyer/", newsletter.issue_send, name="issue_send"),
    path("lettre/confirmer/<str:token>/", newsletter.confirm, name="confirm"),
    path("lettre/desinscription/<str:token>/", newsletter.unsubscribe_view, name="unsubscribe"),
    path("lettre/<slug:territory>/", newsletter.subscribe, name="subscribe"),
    path("<slug:slug>/", public.news_detail, name="detail"),
]

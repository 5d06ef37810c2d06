app_name = "agenda"
urlpatterns = []

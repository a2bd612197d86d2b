from units.urls_manage import urlpatterns as manage_patterns

app_name = "units"
urlpatterns = manage_patterns

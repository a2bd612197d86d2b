from supervision.urls_manage import urlpatterns as manage_patterns
from supervision.urls_work import urlpatterns as work_patterns

app_name = "supervision"

# Office-side pages (registry, management, dashboards) and day-to-day work pages
# (submissions, reviews, workspaces) are kept in two modules.
urlpatterns = manage_patterns + work_patterns

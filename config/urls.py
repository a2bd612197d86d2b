from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api import views as api_views
from core.views import home, pin_clock
from notifications import views as notifications_views

urlpatterns = [
    path("", home, name="home"),
    path("clock/", pin_clock, name="pin_clock"),
    path("i18n/setlang/", notifications_views.set_language, name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/tokens/", include("api.urls_pages")),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("directives/", include("campaign.urls")),
    path("files/", include("files.urls")),
    path("jobs/", include("core.urls")),
    path("units/", include("units.urls")),
    path("supervision/", include("supervision.urls")),
    path("rectification/", include("rectification.urls")),
    path("notifications/", include("notifications.urls")),
    path("people/", include("personnel.urls")),
    path("api/", include("api.urls")),
    # Opened by calendar apps, which send no headers: the token in the address is the proof.
    path("calendar/<str:token>.ics", api_views.calendar, name="calendar_feed"),
]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

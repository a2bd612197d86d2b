"""The token pages (接口令牌), under /accounts/tokens/; the calendar feed is mounted in config.urls."""

from django.urls import path

from api import views

app_name = "tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("new/", views.token_create, name="create"),
    path("service/new/", views.service_token_create, name="service_create"),
    path("<int:apitoken_id>/revoke/", views.token_revoke, name="revoke"),
]

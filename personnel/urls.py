from django.urls import path

from personnel import views

app_name = "personnel"
urlpatterns = [
    path("", views.account_list, name="accounts"),
    path("new/", views.account_create, name="create"),
    path("import/", views.account_import, name="import"),
    path("import/confirm/", views.account_import_confirm, name="import_confirm"),
    path("import/template/", views.import_template, name="import_template"),
    path("<int:account_id>/", views.account_detail, name="account"),
    path("<int:account_id>/edit/", views.account_edit, name="edit"),
    path("<int:account_id>/deactivate/", views.account_deactivate, name="deactivate"),
    path("<int:account_id>/reactivate/", views.account_reactivate, name="reactivate"),
    path("<int:account_id>/password/", views.account_password_reset, name="password_reset"),
    path("<int:account_id>/roles/add/", views.account_role_add, name="role_add"),
    path("<int:account_id>/roles/remove/", views.account_role_remove, name="role_remove"),
]

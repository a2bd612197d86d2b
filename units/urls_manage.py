from django.urls import path

from units import views

urlpatterns = [
    path("", views.unit_tree, name="tree"),
    path("list/", views.unit_list, name="list"),
    path("new/", views.unit_create, name="create"),
    path("assign/", views.unit_assign, name="assign"),
    path("export/", views.unit_export, name="export"),
    path("import/", views.unit_import, name="import"),
    path("import/<int:import_id>/", views.unit_import_job, name="import_job"),
    path("import/<int:import_id>/status/", views.unit_import_status, name="import_status"),
    path("import/<int:import_id>/confirm/", views.unit_import_confirm, name="import_confirm"),
    path("import/template/", views.import_template, name="import_template"),
    path("<int:unit_id>/", views.unit_detail, name="detail"),
    path("<int:unit_id>/children/", views.unit_children, name="children"),
    path("<int:unit_id>/edit/", views.unit_edit, name="edit"),
    path("<int:unit_id>/move/", views.unit_move, name="move"),
    path("<int:unit_id>/deactivate/", views.unit_deactivate, name="deactivate"),
]

from django.urls import path

from units import views, views_opinions, views_study

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
    # 002: study records (学习记录); the thresholds' progress is campaign's panel on the page.
    path("<int:unit_id>/study/", views_study.unit_study, name="study"),
    path("study/<int:record_id>/edit/", views_study.study_record_edit, name="study_record_edit"),
    path("study/<int:record_id>/delete/", views_study.study_record_delete, name="study_record_delete"),
    # 002: mass opinions (群众意见), collected together and claimed by the unit concerned.
    path("<int:unit_id>/opinions/", views_opinions.unit_opinions, name="opinions"),
    path("<int:unit_id>/opinions/new/", views_opinions.opinion_new, name="opinion_new"),
    path("opinions/queue/", views_opinions.opinion_queue, name="opinion_queue"),
    path("opinions/counts/", views_opinions.opinion_counts, name="opinion_counts"),
    path("opinions/counts/export/", views_opinions.opinion_counts_export, name="opinion_counts_export"),
    path("opinions/<int:opinion_id>/", views_opinions.opinion_detail, name="opinion"),
    path("opinions/<int:opinion_id>/claim/", views_opinions.opinion_claim, name="opinion_claim"),
    path("opinions/<int:opinion_id>/answer/", views_opinions.opinion_answer, name="opinion_answer"),
]

from django.urls import path

from supervision import views

urlpatterns = [
    path("work/", views.workspace, name="workspace"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("units/<int:unit_id>/visits/new/", views.visit_create, name="visit_create"),
    path("units/<int:unit_id>/evaluations/new/", views.evaluation_create, name="evaluation_create"),
    path("units/<int:unit_id>/feedback/new/", views.feedback_create, name="feedback_create"),
    path("feedback/<int:feedback_id>/", views.feedback_detail, name="feedback"),
    path("feedback/<int:feedback_id>/edit/", views.feedback_edit, name="feedback_edit"),
    path("feedback/<int:feedback_id>/request/", views.feedback_request_sign_off, name="feedback_request"),
    path("feedback/<int:feedback_id>/sign-off/", views.feedback_sign_off, name="feedback_sign_off"),
    path("meetings/<int:meeting_id>/attend/", views.attend, name="attend"),
]

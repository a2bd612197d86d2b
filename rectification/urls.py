from django.urls import path

from rectification import views

app_name = "rectification"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("units/<int:unit_id>/", views.unit_page, name="unit"),
    path("units/<int:unit_id>/lookback/", views.lookback_edit, name="lookback_edit"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/items/new/", views.item_create, name="item_create"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/progress/", views.item_progress, name="item_progress"),
    path("items/<int:item_id>/request-close/", views.item_request_close, name="item_request_close"),
    path("items/<int:item_id>/review/", views.item_review, name="item_review"),
    path("items/<int:item_id>/evaluation/", views.item_evaluation, name="item_evaluation"),
    path("lookback/<int:report_id>/", views.lookback_detail, name="lookback"),
    path("lookback/<int:report_id>/submit/", views.lookback_submit, name="lookback_submit"),
    path("lookback/<int:report_id>/review/", views.lookback_review, name="lookback_review"),
]

from django.urls import path

from campaign.views import dashboard, directives, participation, requirements

urlpatterns = [
    path("", directives.directive_list, name="directives"),
    path("new/", directives.directive_create, name="directive_create"),
    path("<int:directive_id>/", directives.directive_detail, name="directive"),
    path("<int:directive_id>/edit/", directives.directive_edit, name="directive_edit"),
    path("<int:directive_id>/forward/", directives.directive_forward, name="directive_forward"),
    path("<int:directive_id>/requirements/new/", requirements.requirement_create, name="requirement_create"),
    path("<int:directive_id>/deadline-preview/", requirements.deadline_preview, name="deadline_preview"),
    path("requirements/<int:requirement_id>/", requirements.requirement_detail, name="requirement"),
    path("requirements/<int:requirement_id>/edit/", requirements.requirement_edit, name="requirement_edit"),
    path("dashboard/", dashboard.dashboard_view, name="dashboard"),
    path("dashboard/export.xlsx", dashboard.dashboard_export, name="dashboard_export"),
    path("participants/", participation.participants, name="participants"),
    path("participants/units/<int:unit_id>/", participation.unit_participation, name="unit_participation"),
    path("participants/units/<int:unit_id>/waive-minimum/", participation.unit_minimum_stay_waiver,
         name="unit_minimum_stay_waiver"),
]

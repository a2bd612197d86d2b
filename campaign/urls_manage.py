from django.urls import path

from campaign.views import campaigns, dashboard, directives, participation, requirements

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
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("campaigns/switch/", campaigns.campaign_switch, name="campaign_switch"),
    path("campaigns/<int:campaign_id>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_id>/launch/", campaigns.campaign_launch, name="campaign_launch"),
    path("campaigns/<int:campaign_id>/batches/new/", campaigns.part_create, {"kind": "batch"}, name="batch_create"),
    path("campaigns/<int:campaign_id>/phases/new/", campaigns.part_create, {"kind": "phase"}, name="phase_create"),
    path("campaigns/batches/<int:batch_id>/edit/", campaigns.batch_edit, name="batch_edit"),
    path("campaigns/batches/<int:batch_id>/delete/", campaigns.batch_delete, name="batch_delete"),
    path("campaigns/phases/<int:phase_id>/edit/", campaigns.phase_edit, name="phase_edit"),
    path("campaigns/phases/<int:phase_id>/delete/", campaigns.phase_delete, name="phase_delete"),
    path("campaigns/phases/<int:phase_id>/move/", campaigns.phase_move, name="phase_move"),
    path("participants/units/<int:unit_id>/waive-minimum/", participation.unit_minimum_stay_waiver,
         name="unit_minimum_stay_waiver"),
]

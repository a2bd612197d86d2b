from django.urls import path

from campaign.views import affiliation, extensions, meetings, obligations, phases, study, workspace

urlpatterns = [
    path("work/", workspace.workspace, name="workspace"),
    path("work/reviews/", obligations.review_queue, name="review_queue"),
    path("work/affiliation/", affiliation.affiliation_queue, name="affiliation_queue"),
    path("obligations/<int:obligation_id>/", obligations.obligation_detail, name="obligation"),
    path("obligations/<int:obligation_id>/submit/", obligations.obligation_submit, name="obligation_submit"),
    path("obligations/<int:obligation_id>/review/", obligations.obligation_review, name="obligation_review"),
    path("obligations/<int:obligation_id>/reopen/", obligations.obligation_reopen, name="obligation_reopen"),
    path("obligations/<int:obligation_id>/affiliation-review/", obligations.obligation_affiliation_review,
         name="obligation_affiliation_review"),
    path("obligations/<int:obligation_id>/exempt/", obligations.obligation_exempt, name="obligation_exempt"),
    path("obligations/<int:obligation_id>/unexempt/", obligations.obligation_unexempt, name="obligation_unexempt"),
    path("obligations/<int:obligation_id>/extension/", extensions.extension_request, name="extension_request"),
    path("extensions/", extensions.extension_requests, name="extension_requests"),
    path("extensions/<int:request_id>/decide/", extensions.extension_decide, name="extension_decide"),
    path("submissions/<int:submission_id>/", obligations.submission_detail, name="submission"),
    path("files/<int:file_id>/download/", obligations.file_download, name="file"),
    path("files/<int:file_id>/preview/", obligations.file_preview, name="file_preview"),
    path("files/<int:file_id>/withdraw/", obligations.file_withdraw, name="file_withdraw"),
    path("units/<int:unit_id>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/prepare/", meetings.meeting_prepare, name="meeting_prepare"),
    path("meetings/<int:meeting_id>/materials/", meetings.meeting_materials, name="meeting_materials"),
    path("meetings/<int:meeting_id>/held/", meetings.meeting_record_held, name="meeting_held"),
    path("meetings/<int:meeting_id>/held-on/", meetings.meeting_correct_held, name="meeting_correct_held"),
    path("meetings/<int:meeting_id>/another/", meetings.meeting_another, name="meeting_another"),
    path("units/<int:unit_id>/phases/", phases.unit_phases, name="unit_phases"),
    path("units/<int:unit_id>/phases/<int:phase_id>/enter/", phases.phase_enter, name="phase_enter"),
    path("phase-progress/<int:progress_id>/finish/", phases.phase_finish, name="phase_finish"),
    # 002: study (学习教育) against the campaign's thresholds.
    path("study/", study.study_overview, name="study_overview"),
    path("study/export/", study.study_export, name="study_export"),
]

from django.urls import path

from campaign.views import obligations, workspace

urlpatterns = [
    path("work/", workspace.workspace, name="workspace"),
    path("work/reviews/", obligations.review_queue, name="review_queue"),
    path("obligations/<int:obligation_id>/", obligations.obligation_detail, name="obligation"),
    path("obligations/<int:obligation_id>/submit/", obligations.obligation_submit, name="obligation_submit"),
    path("obligations/<int:obligation_id>/review/", obligations.obligation_review, name="obligation_review"),
    path("obligations/<int:obligation_id>/reopen/", obligations.obligation_reopen, name="obligation_reopen"),
    path("submissions/<int:submission_id>/", obligations.submission_detail, name="submission"),
    path("files/<int:file_id>/download/", obligations.file_download, name="file"),
]

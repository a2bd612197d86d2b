from django.urls import path

from core import views_jobs

app_name = "core"

urlpatterns = [
    path("", views_jobs.job_list, name="jobs"),
    path("<int:job_id>/", views_jobs.job_detail, name="job"),
    path("<int:job_id>/progress", views_jobs.job_progress, name="job_progress"),
    path("<int:job_id>/download", views_jobs.job_download, name="job_download"),
]

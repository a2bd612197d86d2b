from django.urls import path

from files import views

app_name = "files"

urlpatterns = [
    path("<int:attachment_id>/", views.download, name="download"),
    path("<int:attachment_id>/preview/", views.preview, name="preview"),
]

from django.urls import path

from units import views_work

urlpatterns = [
    path("<int:unit_id>/meetings/new/", views_work.meeting_create, name="meeting_create"),
    path("meetings/<int:meeting_id>/", views_work.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/prepare/", views_work.meeting_prepare, name="meeting_prepare"),
    path("meetings/<int:meeting_id>/held/", views_work.meeting_record_held, name="meeting_held"),
]

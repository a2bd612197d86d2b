from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("preferences/", views.preferences, name="preferences"),
    path("todo/", views.todo_list, name="todo"),
    path("read-all/", views.notification_mark_all_read, name="mark_all_read"),
    path("<int:notification_id>/", views.notification_detail, name="detail"),
    path("<int:notification_id>/read/", views.notification_mark_read, name="mark_read"),
    path("requirements/<int:requirement_id>/log/", views.requirement_log, name="requirement_log"),
    path("requirements/<int:requirement_id>/policy/", views.requirement_policy, name="requirement_policy"),
    path("requirements/<int:requirement_id>/resend/", views.requirement_resend, name="requirement_resend"),
    path("offices/<int:unit_id>/defaults/", views.office_defaults, name="office_defaults"),
]

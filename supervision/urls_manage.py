from django.urls import path

from supervision import views_manage

urlpatterns = [
    path("groups/", views_manage.group_list, name="groups"),
    path("groups/new/", views_manage.group_create, name="group_create"),
    path("groups/<int:group_id>/", views_manage.group_detail, name="group"),
    path("groups/<int:group_id>/members/", views_manage.group_member_add, name="group_member_add"),
    path("groups/<int:group_id>/members/remove/", views_manage.group_member_remove, name="group_member_remove"),
    path("groups/<int:group_id>/assign/", views_manage.group_assign, name="group_assign"),
]

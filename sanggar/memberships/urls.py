from django.urls import path

from . import views, views_admin

app_name = "memberships"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 100
urlpatterns = [
    path("membership-saya", views.mine, name="mine"),
    path("admin/memberships", views_admin.membership_list, name="admin_list"),
    path("admin/memberships/export.csv", views_admin.membership_export, name="admin_export"),
    path("admin/memberships/users/<int:pk>", views_admin.member_memberships, name="admin_member"),
    path("admin/memberships/users/<int:pk>/<slug:action>", views_admin.member_action, name="admin_member_action"),
]

from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("admin/activity-log", views.admin_list, name="admin_list"),
    path("admin/activity-log/export.csv", views.admin_export, name="admin_export"),
]

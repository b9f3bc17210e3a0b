from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [path("admin/activity-log", views.admin_list, name="admin_list")]

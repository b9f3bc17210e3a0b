from django.urls import path

from . import views

app_name = "audit"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 50
urlpatterns = [
    path("admin/activity-log", views.admin_list, name="admin_list"),
    path("admin/activity-log/export.csv", views.admin_export, name="admin_export"),
]

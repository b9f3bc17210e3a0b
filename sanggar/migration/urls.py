from django.urls import path

from . import views

app_name = "migration"
URL_ORDER = 180
urlpatterns = [
    path("admin/migrasi", views.admin_runs, name="admin_runs"),
    path("admin/migrasi/<int:pk>", views.admin_run, name="admin_run"),
    path("admin/migrasi/<int:pk>/laporan.csv", views.admin_run_csv, name="admin_run_csv"),
]

from django.urls import path

from . import legacy, views

app_name = "migration"
URL_ORDER = 180
urlpatterns = [
    path("admin/migrasi", views.admin_runs, name="admin_runs"),
    path("admin/migrasi/<int:pk>", views.admin_run, name="admin_run"),
    path("admin/migrasi/<int:pk>/laporan.csv", views.admin_run_csv, name="admin_run_csv"),
    # Sejoli's old links (legacy.py)
    path("aff/<int:affiliate_id>/<int:product_id>", legacy.affiliate_link, name="legacy_aff"),
    path("aff/<int:affiliate_id>/<int:product_id>/<path:target>", legacy.affiliate_link, name="legacy_aff_target"),
    path("renew/<int:order_id>", legacy.renew, name="legacy_renew"),
    path("member-area", legacy.member_area, name="legacy_member_area"),
    path("member-area/<path:rest>", legacy.member_area, name="legacy_member_area_path"),
    path("member-download/<str:key>", legacy.member_download, name="legacy_member_download"),
]

from django.urls import path

from . import views

app_name = "access"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 90
urlpatterns = [
    path("produk-saya", views.my_products, name="my_products"),
    path("produk-saya/file/<int:file_id>", views.file_download, name="file_download"),
    path("unduh/<str:token>", views.file_serve, name="file_serve"),
    path("admin/akses", views.admin_grants, name="admin_grants"),
    path("admin/akses/export.csv", views.admin_grants_export, name="admin_grants_export"),
    path("admin/akses/baru", views.admin_grant_create, name="admin_grant_create"),
    path("admin/akses/<int:pk>/cabut", views.admin_grant_revoke, name="admin_grant_revoke"),
    path("admin/akses/unduhan", views.admin_downloads, name="admin_downloads"),
]

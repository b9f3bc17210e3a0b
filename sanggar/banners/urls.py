from django.urls import path

from . import views

app_name = "banners"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 97
urlpatterns = [
    path("b/<int:pk>", views.click, name="click"),
    path("b/<int:pk>/tutup", views.dismiss, name="dismiss"),
    path("iklan-saya", views.sponsor_home, name="sponsor_home"),
    path("iklan-saya/paket/<int:package_id>", views.sponsor_submit, name="sponsor_submit"),
    path("iklan-saya/<int:pk>", views.sponsor_edit, name="sponsor_edit"),
    path("admin/banner", views.admin_list, name="admin_list"),
    path("admin/banner/baru", views.admin_create, name="admin_create"),
    path("admin/banner/statistik.csv", views.admin_export, name="admin_export"),
    path("admin/banner/paket", views.admin_packages, name="admin_packages"),
    path("admin/banner/<int:pk>", views.admin_edit, name="admin_edit"),
    path("admin/banner/<int:pk>/statistik", views.admin_stats, name="admin_stats"),
    path("admin/banner/<int:pk>/review", views.admin_review, name="admin_review"),
    path("admin/banner/<int:pk>/umumkan", views.admin_announce, name="admin_announce"),
    path("admin/banner/<int:pk>/hapus", views.admin_delete, name="admin_delete"),
]

from django.urls import path

from . import views

app_name = "banners"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 97
urlpatterns = [
    path("b/<int:pk>", views.click, name="click"),
    path("admin/banner", views.admin_list, name="admin_list"),
    path("admin/banner/baru", views.admin_create, name="admin_create"),
    path("admin/banner/<int:pk>", views.admin_edit, name="admin_edit"),
    path("admin/banner/<int:pk>/hapus", views.admin_delete, name="admin_delete"),
]

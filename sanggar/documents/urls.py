from django.urls import path

from . import views

app_name = "documents"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 95
urlpatterns = [
    path("dokumen", views.document_list, name="list"),
    path("dokumen/riwayat", views.my_history, name="history"),
    path("dokumen/<int:pk>", views.document_detail, name="detail"),
    path("dokumen/<int:pk>/unduh", views.document_download, name="download"),
    path("dokumen/unduh/<str:token>", views.document_serve, name="serve"),
    path("admin/dokumen", views.admin_documents, name="admin_documents"),
    path("admin/dokumen/baru", views.admin_document_create, name="admin_document_create"),
    path("admin/dokumen/<int:pk>/ubah", views.admin_document_edit, name="admin_document_edit"),
    path("admin/dokumen/<int:pk>/status", views.admin_document_toggle, name="admin_document_toggle"),
    path("admin/dokumen/<int:pk>/hapus", views.admin_document_delete, name="admin_document_delete"),
    path("admin/dokumen/kategori", views.admin_categories, name="admin_categories"),
    path("admin/dokumen/log", views.admin_logs, name="admin_logs"),
    path("admin/dokumen/log/export.csv", views.admin_logs_export, name="admin_logs_export"),
    path("admin/dokumen/log/<int:pk>", views.admin_log_detail, name="admin_log_detail"),
]

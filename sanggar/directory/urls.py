from django.urls import path

from . import views, views_admin

app_name = "directory"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 62
urlpatterns = [
    path("direktori/buyer", views.buyers, name="buyers"),
    path("direktori/buyer/favorit", views.buyer_favourites, name="buyer_favourites"),
    path("direktori/buyer/<int:pk>", views.buyer_detail, name="buyer_detail"),
    path("direktori/buyer/<int:pk>/laporkan", views.buyer_report, name="buyer_report"),
    path("direktori/forwarder", views.forwarders, name="forwarders"),
    path("direktori/forwarder/bandingkan", views.rate_compare, name="rate_compare"),
    path("direktori/forwarder/<int:pk>", views.forwarder_detail, name="forwarder_detail"),
    path("direktori/forwarder/<int:pk>/laporkan", views.forwarder_report, name="forwarder_report"),
    path("direktori/member", views.members, name="members"),
    path("direktori/member/profil-saya", views.my_profile, name="my_profile"),
    path("dokumen-ekspor", views.documents, name="documents"),
    path("dokumen-ekspor/baru", views.document_create, name="document_create"),
    path("dokumen-ekspor/<int:pk>", views.document_edit, name="document_edit"),
    path("dokumen-ekspor/<int:pk>/pdf", views.document_download, name="document_pdf"),
    path("admin/direktori/buyer", views_admin.buyers, name="admin_buyers"),
    path("admin/direktori/buyer/export.csv", views_admin.buyers_export, name="admin_buyers_export"),
    path(
        "admin/direktori/buyer/export.xlsx",
        views_admin.buyers_export,
        {"file_format": "xlsx"},
        name="admin_buyers_export_xlsx",
    ),
    path("admin/direktori/buyer/baru", views_admin.buyer_create, name="admin_buyer_create"),
    path("admin/direktori/buyer/impor", views_admin.buyer_import, name="admin_buyer_import"),
    path(
        "admin/direktori/buyer/impor/templat.csv", views_admin.buyer_import_template, name="admin_buyer_import_template"
    ),
    path("admin/direktori/buyer/impor/<int:pk>", views_admin.buyer_import_detail, name="admin_buyer_import_detail"),
    path(
        "admin/direktori/buyer/impor/<int:pk>/progres",
        views_admin.buyer_import_progress,
        name="admin_buyer_import_progress",
    ),
    path(
        "admin/direktori/buyer/impor/<int:pk>/masalah.csv",
        views_admin.buyer_import_problems,
        name="admin_buyer_import_problems",
    ),
    path("admin/direktori/buyer/<int:pk>", views_admin.buyer_edit, name="admin_buyer_edit"),
    path("admin/direktori/statistik", views_admin.buyer_stats, name="admin_buyer_stats"),
    path("admin/direktori/pelacak", views_admin.buyer_tracker, name="admin_buyer_tracker"),
    path("admin/direktori/laporan", views_admin.reports, name="admin_reports"),
    path("admin/direktori/rating", views_admin.ratings, name="admin_ratings"),
    path("admin/direktori/kuota", views_admin.quotas, name="admin_quotas"),
    path("admin/direktori/templat-dokumen", views_admin.document_templates, name="admin_document_templates"),
    path(
        "admin/direktori/templat-dokumen/<str:kind>",
        views_admin.document_template_edit,
        name="admin_document_template_edit",
    ),
    path("admin/direktori/forwarder", views_admin.forwarders, name="admin_forwarders"),
    path("admin/direktori/forwarder/baru", views_admin.forwarder_create, name="admin_forwarder_create"),
    path("admin/direktori/forwarder/impor", views_admin.forwarder_import, name="admin_forwarder_import"),
    path(
        "admin/direktori/forwarder/impor/templat.csv",
        views_admin.forwarder_import_template,
        name="admin_forwarder_import_template",
    ),
    path(
        "admin/direktori/forwarder/impor/<int:pk>",
        views_admin.forwarder_import_detail,
        name="admin_forwarder_import_detail",
    ),
    path(
        "admin/direktori/forwarder/impor/<int:pk>/progres",
        views_admin.forwarder_import_progress,
        name="admin_forwarder_import_progress",
    ),
    path(
        "admin/direktori/forwarder/impor/<int:pk>/masalah.csv",
        views_admin.forwarder_import_problems,
        name="admin_forwarder_import_problems",
    ),
    path("admin/direktori/forwarder/<int:pk>", views_admin.forwarder_edit, name="admin_forwarder_edit"),
]

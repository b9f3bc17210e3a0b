from django.urls import path

from . import views

app_name = "suppliers"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 93
urlpatterns = [
    # Supplier
    path("supplier/daftar", views.register, name="register"),
    path("supplier/onboarding", views.onboarding, name="onboarding"),
    path("supplier/onboarding/jenis-usaha", views.step_type, name="step_type"),
    path("supplier/onboarding/profil/<str:tab>", views.step_profile, name="step_profile"),
    path("supplier/onboarding/dokumen", views.step_files, name="step_files"),
    path("supplier/onboarding/asesmen", views.step_assessment, name="step_assessment"),
    path("supplier/dasbor", views.home, name="home"),
    path("supplier/produk", views.products, name="products"),
    path("supplier/produk/baru", views.product_edit, name="product_new"),
    path("supplier/produk/<int:pk>", views.product_edit, name="product_edit"),
    path("supplier/statistik", views.statistics, name="statistics"),
    path("supplier/paket", views.package, name="package"),
    path("supplier/chat", views.chat_settings, name="chat_settings"),
    path("supplier/berkas/<int:pk>", views.file, name="file"),
    path("supplier/dokumen/<int:pk>", views.document, name="document"),
    # Members
    path("direktori/supplier", views.directory, name="directory"),
    path("direktori/supplier/produk/<int:pk>/suka", views.product_like, name="product_like"),
    path("direktori/supplier/favorit", views.favourites, name="favourites"),
    path("supplier/<slug:slug>", views.profile, name="profile"),
    path("supplier/<slug:slug>/hubungi", views.contact, name="contact"),
    path("supplier/<slug:slug>/kontak", views.contact_open, name="contact_open"),
    path("supplier/<slug:slug>/laporkan", views.report, name="report"),
    path("supplier/<slug:slug>/simpan", views.save, name="save"),
    path("supplier/<slug:slug>/rating", views.rate, name="rate"),
    path("supplier/<slug:slug>/<slug:product_slug>", views.product_detail, name="product"),
    # Mentors
    path("mentor/supplier", views.mentor_queue, name="mentor_queue"),
    path("mentor/supplier/asesmen", views.questions, name="questions"),
    path("mentor/supplier/<int:pk>", views.mentor_review, name="mentor_review"),
    # Admins
    path("admin/supplier", views.admin_list, name="admin_list"),
    path("admin/supplier/paket", views.admin_packages, name="admin_packages"),
    path("admin/supplier/produk.csv", views.admin_export, name="admin_export"),
    path("admin/supplier/<int:pk>", views.admin_detail, name="admin_detail"),
]

from django.urls import path

from . import views

app_name = "tickets"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 96
urlpatterns = [
    path("tiket", views.ticket_list, name="list"),
    path("tiket/baru", views.ticket_create, name="create"),
    path("tiket/lampiran/<int:pk>", views.attachment, name="attachment"),
    path("tiket/<str:number>", views.ticket_detail, name="detail"),
    path("support/tiket", views.staff_queue, name="staff_queue"),
    path("support/tiket/<str:number>", views.staff_detail, name="staff_detail"),
    path("support/laporan", views.staff_report, name="staff_report"),
    path("support/balasan-cepat", views.canned_list, name="canned_list"),
    path("support/balasan-cepat/<int:pk>", views.canned_edit, name="canned_edit"),
    path("support/balasan-cepat/<int:pk>/hapus", views.canned_delete, name="canned_delete"),
]

from django.urls import path

from . import views

app_name = "classes"
URL_ORDER = 78

urlpatterns = [
    path("kelas-live", views.programs, name="programs"),
    path("kelas-live/saya", views.mine, name="mine"),
    path("kelas-live/<slug:slug>/daftar", views.register, name="register"),
    path("kelas-live/saya/<int:pk>/bayar", views.pay, name="pay"),
    path("kelas-live/saya/<int:pk>/tambah-pertemuan", views.buy_extra, name="buy_extra"),
    path("kelas-live/saya/<int:pk>/perpanjang", views.renew, name="renew"),
    path("kelas-live/saya/pertemuan/<int:pk>/izin", views.excuse, name="excuse"),
    path("mentor/kelas-live", views.tutor_today, name="tutor"),
    path("mentor/kelas-live/ketersediaan", views.tutor_availability, name="tutor_availability"),
    path("mentor/kelas-live/pertemuan/<int:pk>/kehadiran", views.tutor_mark, name="tutor_mark"),
    path("admin/kelas-live", views.admin_programs, name="admin_programs"),
    path("admin/kelas-live/program/<slug:slug>", views.admin_sections, name="admin_sections"),
    path("admin/kelas-live/pendaftaran", views.admin_enrollments, name="admin_enrollments"),
    path("admin/kelas-live/kehadiran", views.admin_attendance, name="admin_attendance"),
    path("admin/kelas-live/daftar-tunggu", views.admin_waiting, name="admin_waiting"),
    path("admin/kelas-live/daftar-tunggu/<int:pk>", views.admin_decide, name="admin_decide"),
]

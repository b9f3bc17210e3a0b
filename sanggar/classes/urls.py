from django.urls import path

from . import views

app_name = "classes"
URL_ORDER = 78

urlpatterns = [
    path("kelas-live", views.programs, name="programs"),
    path("kelas-live/saya", views.mine, name="mine"),
    path("kelas-live/<slug:slug>/daftar", views.register, name="register"),
    path("kelas-live/saya/<int:pk>/bayar", views.pay, name="pay"),
    path("kelas-live/saya/<int:pk>/perpanjang", views.renew, name="renew"),
    path("mentor/kelas-live", views.tutor_today, name="tutor"),
    path("mentor/kelas-live/pertemuan/<int:pk>/kehadiran", views.tutor_mark, name="tutor_mark"),
    path("admin/kelas-live/daftar-tunggu", views.admin_waiting, name="admin_waiting"),
    path("admin/kelas-live/daftar-tunggu/<int:pk>", views.admin_decide, name="admin_decide"),
]

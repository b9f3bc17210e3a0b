from django.urls import path

from . import views as v

app_name = "events"
URL_ORDER = 77

urlpatterns = [
    path("event", v.index, name="index"),
    path("event/kalender", v.calendar, name="calendar"),
    path("event/rekaman", v.recordings, name="recordings"),
    path("event/saya", v.mine, name="mine"),
    path("event/<slug:slug>", v.detail, name="detail"),
    path("event/<slug:slug>/daftar", v.register, name="register"),
    path("event/<slug:slug>/batal", v.cancel, name="cancel"),
    path("event/<slug:slug>/kalender.ics", v.ics, name="ics"),
    path("admin/event/baru", v.admin_create, name="admin_create"),
    path("admin/event/<slug:slug>/ubah", v.admin_edit, name="admin_edit"),
    path("admin/event/<slug:slug>/peserta", v.admin_registrants, name="admin_registrants"),
    path("admin/event/<slug:slug>/peserta.csv", v.registrants_csv, name="registrants_csv"),
    path("komunitas/grup/<slug:slug>/acara/baru", v.group_event_create, name="group_event_create"),
]

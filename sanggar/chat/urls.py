from django.urls import path

from . import views

app_name = "chat"
URL_ORDER = 80

urlpatterns = [
    path("chat", views.inbox, name="inbox"),
    path("chat/<int:pk>", views.conversation, name="conversation"),
    path("chat/<int:pk>/kirim", views.send, name="send"),
    path("chat/<int:pk>/pengaturan", views.settings_update, name="settings"),
    path("chat/mulai/<int:user_id>", views.start, name="start"),
    path("chat/diblokir", views.blocks, name="blocks"),
    path("chat/lampiran/<str:token>", views.attachment, name="attachment"),
    path("chat/pesan/<int:message_id>/<str:action>", views.message_change, name="message_change"),
    path("admin/chat/laporan", views.reports, name="admin_reports"),
    path("admin/chat/statistik", views.stats, name="admin_stats"),
    path("admin/stiker", views.admin_stickers, name="admin_stickers"),
    path("admin/chat/laporan/<int:pk>", views.report_detail, name="admin_report"),
    path("admin/chat/laporan/<int:pk>/lampiran/<str:token>", views.report_attachment, name="admin_report_attachment"),
]

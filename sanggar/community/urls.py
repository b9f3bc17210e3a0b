from django.urls import path

from . import views as v

app_name = "community"
URL_ORDER = 76

urlpatterns = [
    path("komunitas", v.feed, name="feed"),
    path("komunitas/grup", v.groups, name="groups"),
    path("komunitas/grup/<slug:slug>", v.group, name="group"),
    path("komunitas/grup/<slug:slug>/gabung", v.group_join, name="group_join"),
    path("komunitas/grup/<slug:slug>/keluar", v.group_leave, name="group_leave"),
    path("komunitas/grup/<slug:slug>/notifikasi", v.group_notify, name="group_notify"),
    path("komunitas/grup/<slug:slug>/posting", v.post_create, name="post_create"),
    path("komunitas/grup/<slug:slug>/undang", v.group_invite, name="group_invite"),
    path("komunitas/grup/<slug:slug>/obrolan", v.group_chat, name="group_chat"),
    path("komunitas/grup/<slug:slug>/pengaturan", v.group_settings, name="group_settings"),
    path("komunitas/undangan", v.invitations, name="invitations"),
    path("komunitas/undangan/<int:pk>/<str:answer>", v.invitation_respond, name="invitation_respond"),
    path("komunitas/grup/<slug:slug>/moderasi", v.group_moderation, name="group_moderation"),
    path("komunitas/post/<int:pk>", v.post, name="post"),
    path("komunitas/post/<int:pk>/dokumen", v.post_document, name="post_document"),
    path("komunitas/post/<int:pk>/komentar", v.comment_create, name="comment_create"),
    path("komunitas/post/<int:pk>/komentar-baru", v.comments_since, name="comments_since"),
    path("komunitas/post/<int:pk>/reaksi", v.react, name="react"),
    path("komunitas/post/<int:pk>/polling", v.vote, name="vote"),
    path("komunitas/post/<int:pk>/simpan", v.save, name="save"),
    path("komunitas/post/<int:pk>/laporkan", v.report, name="report"),
    path("komunitas/post/<int:pk>/sematkan", v.pin, name="pin"),
    path("komunitas/post/<int:pk>/komentar-aktif", v.comments_toggle, name="comments_toggle"),
    path("komunitas/post/<int:pk>/hapus", v.post_remove, name="post_remove"),
    path("komunitas/komentar/<int:pk>/hapus", v.comment_remove, name="comment_remove"),
    path("komunitas/tersimpan", v.saved, name="saved"),
    path("komunitas/moderasi", v.moderation, name="moderation"),
    path("komunitas/moderasi/post/<int:pk>", v.moderate_post, name="moderate_post"),
    path("komunitas/moderasi/laporan/<int:pk>", v.moderate_report, name="moderate_report"),
    path("komunitas/moderasi/anggota/<int:pk>", v.moderate_member, name="moderate_member"),
    path("komunitas/direktori", v.member_directory, name="directory"),
    path("komunitas/peringkat", v.leaderboard, name="leaderboard"),
    path("komunitas/profil", v.my_profile, name="my_profile"),
    path("u/<str:username>", v.profile, name="profile"),
    path("u/<str:username>/ikuti", v.follow_toggle, name="follow"),
    path("admin/gamifikasi", v.admin_gamification, name="admin_gamification"),
    path("admin/grup", v.admin_groups, name="admin_groups"),
    path("admin/grup/baru", v.admin_group_form, name="admin_group_create"),
    path("admin/grup/filter-kata", v.admin_keyword, name="admin_keyword"),
    path("admin/grup/<slug:slug>", v.admin_group_form, name="admin_group_edit"),
]

from django.urls import path

from . import views_author as author
from . import views_learn as learn
from . import views_public as public
from . import views_settings as settings_views

app_name = "learning"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 75

urlpatterns = [
    # public
    path("kursus", public.catalogue, name="catalogue"),
    # affiliates' short links target a course by this name (affiliates/services/short_links.py)
    path("kursus/<slug:slug>", public.detail, name="course_detail"),
    path("kursus/<slug:slug>/beli", public.checkout, name="checkout"),
    path("kursus/<slug:slug>/ulasan", learn.review, name="review"),
    path("kursus/<slug:slug>/notifikasi", learn.notifications_toggle, name="notifications_toggle"),
    path("kursus/<slug:slug>/grup-belajar", learn.study_group_open, name="study_group_open"),
    path("sertifikat", public.certificate_lookup, name="certificate_lookup"),
    path("sertifikat/<str:code>", public.certificate, name="certificate"),
    path("sertifikat/<str:code>/pdf", public.certificate_download, name="certificate_pdf"),
    path("instruktur/<int:pk>", public.instructor, name="instructor"),
    # learner
    path("kursus-saya", learn.mine, name="mine"),
    path("kursus-affiliate", learn.affiliate, name="affiliate"),
    path("sertifikat-saya", learn.certificates, name="certificates"),
    path("belajar/lampiran/<int:pk>", learn.attachment, name="attachment"),
    path("belajar/video/<str:token>", learn.video, name="video"),
    path("belajar/<slug:slug>", learn.resume, name="resume"),
    path("belajar/<slug:slug>/<int:lesson_id>", learn.lesson, name="lesson"),
    path("belajar/<slug:slug>/<int:lesson_id>/selesai", learn.lesson_complete, name="lesson_complete"),
    path("belajar/<slug:slug>/<int:lesson_id>/posisi", learn.lesson_position, name="lesson_position"),
    path("belajar/<slug:slug>/<int:lesson_id>/diskusi", learn.comment_post, name="comment_post"),
    path("belajar/<slug:slug>/diskusi/<int:comment_id>/sembunyikan", learn.comment_hide, name="comment_hide"),
    path("belajar/<slug:slug>/diskusi", learn.course_discussion, name="course_discussion"),
    path("belajar/<slug:slug>/modul/<int:module_id>/diskusi", learn.module_discussion, name="module_discussion"),
    path("belajar/<slug:slug>/modul/<int:module_id>/rating", learn.module_rate, name="module_rate"),
    path("belajar/<slug:slug>/kuis/<int:quiz_id>", learn.quiz, name="quiz"),
    path("belajar/<slug:slug>/tugas/<int:assignment_id>", learn.assignment, name="assignment"),
    # mentors and admins
    path("mentor/kursus", author.manage, name="manage"),
    path("mentor/kursus/baru", author.create, name="create"),
    path("mentor/kursus/<slug:slug>", author.edit, name="edit"),
    path("mentor/kursus/<slug:slug>/ajukan", author.submit, name="submit"),
    path("mentor/kursus/<slug:slug>/status", author.status, name="status"),
    path("mentor/kursus/<slug:slug>/urutan", author.reorder, name="reorder"),
    path("mentor/kursus/<slug:slug>/pindah-pelajaran", author.lesson_move, name="lesson_move"),
    path("mentor/kursus/<slug:slug>/hapus", author.delete, name="delete"),
    path("mentor/kursus/<slug:slug>/modul", author.module_save, name="module_add"),
    path("mentor/kursus/<slug:slug>/modul/<int:module_id>", author.module_save, name="module_edit"),
    path("mentor/kursus/<slug:slug>/modul/<int:module_id>/hapus", author.module_delete_confirm, name="module_delete"),
    path("mentor/kursus/<slug:slug>/modul/<int:module_id>/pelajaran", author.lesson_form, name="lesson_new"),
    path(
        "mentor/kursus/<slug:slug>/modul/<int:module_id>/pelajaran/<int:lesson_id>/hapus",
        author.lesson_delete_confirm,
        name="lesson_delete",
    ),
    path(
        "mentor/kursus/<slug:slug>/modul/<int:module_id>/pelajaran/<int:lesson_id>",
        author.lesson_form,
        name="lesson_edit",
    ),
    path("mentor/kursus/<slug:slug>/modul/<int:module_id>/kuis", author.quiz_form, name="quiz_new"),
    path("mentor/kursus/<slug:slug>/modul/<int:module_id>/kuis/<int:quiz_id>", author.quiz_form, name="quiz_edit"),
    path(
        "mentor/kursus/<slug:slug>/modul/<int:module_id>/kuis/<int:quiz_id>/soal/<int:question_id>/hapus",
        author.question_delete_confirm,
        name="question_delete",
    ),
    path(
        "mentor/kursus/<slug:slug>/modul/<int:module_id>/pelajaran/<int:lesson_id>/lampiran/<int:attachment_id>/hapus",
        author.attachment_delete_confirm,
        name="attachment_delete",
    ),
    path("mentor/kursus/<slug:slug>/modul/<int:module_id>/tugas", author.assignment_form, name="assignment_new"),
    path(
        "mentor/kursus/<slug:slug>/modul/<int:module_id>/tugas/<int:assignment_id>",
        author.assignment_form,
        name="assignment_edit",
    ),
    path("mentor/kursus/<slug:slug>/siswa", author.students, name="students"),
    path("mentor/kursus/<slug:slug>/follow-up", author.follow_ups, name="follow_ups"),
    path("mentor/kursus/<slug:slug>/pengumuman", author.broadcast, name="broadcast"),
    path("mentor/penilaian", author.grading, name="grading"),
    path("mentor/penilaian/<int:pk>", author.grade, name="grade"),
    path("mentor/penilaian/<int:pk>/berkas", author.submission_file, name="submission_file"),
    path("mentor/penilaian/kuis/<int:pk>", author.essay_grade, name="essay_grade"),
    path("mentor/statistik-kursus", author.stats, name="stats"),
    path("admin/kursus/review", author.admin_review, name="admin_review"),
    path("admin/kursus/progres", author.admin_progress, name="admin_progress"),
    path("admin/kursus/pengingat", author.admin_reminder_settings, name="admin_reminder_settings"),
    path("admin/kursus/host-video", settings_views.admin_video_hosts, name="admin_video_hosts"),
    path("admin/kursus/pendaftaran-mentor", author.mentor_applications, name="admin_mentor_applications"),
    path("jadi-mentor", learn.mentor_apply, name="mentor_apply"),
]

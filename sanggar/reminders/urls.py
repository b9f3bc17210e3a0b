from django.urls import path

from . import views, views_targets
from .constants import Target

app_name = "reminders"
URL_ORDER = 85

urlpatterns = [
    path("admin/pengingat", views.sequences, name="sequences"),
    path("admin/pengingat/dasbor", views.reminders_dashboard, name="dashboard"),
    path("admin/pengingat/pelacakan", views.tracking_settings, name="tracking_settings"),
    path("admin/pengingat/baru", views.sequence_edit, name="sequence_create"),
    path("admin/pengingat/<int:pk>", views.sequence_edit, name="sequence_edit"),
    path("admin/pengingat/<int:pk>/duplikat", views.sequence_duplicate, name="sequence_duplicate"),
    path("admin/pengingat/<int:pk>/log", views.sequence_log, name="sequence_log"),
    path("admin/pengingat/<int:pk>/analitik", views.sequence_analytics, name="sequence_analytics"),
    path("admin/pengingat/<int:pk>/pratinjau", views.step_preview, name="step_preview"),
    path("admin/pengingat/<int:pk>/langkah", views.step_edit, name="step_create"),
    path("admin/pengingat/<int:pk>/langkah/urutan", views.steps_reorder, name="steps_reorder"),
    path("admin/pengingat/<int:pk>/langkah/<int:step_pk>/uji", views.step_test, name="step_test"),
    path("admin/pengingat/<int:pk>/langkah/<int:step_pk>", views.step_edit, name="step_edit"),
    path("admin/pengingat/<int:pk>/langkah/<int:step_pk>/hapus", views.step_delete, name="step_delete"),
    path("admin/pengingat/<int:pk>/langkah/<int:step_pk>/duplikat", views.step_duplicate, name="step_duplicate"),
    path("admin/pengingat/<int:pk>/aktif", views_targets.sequence_toggle, name="sequence_toggle"),
    path("admin/pengingat/<int:pk>/pindah", views_targets.sequence_move, name="sequence_move"),
    path("admin/pengingat/<int:pk>/hapus", views_targets.sequence_delete, name="sequence_delete"),
    # The "Reminder" tab of a plan's and a product's edit pages (registered in catalog.hooks from apps.py) and the
    # "Pengingat" tab of a course's editor and an event's admin page (learning.hooks, events.hooks): one set of views,
    # the target type comes from here.
    path(
        "admin/membership/<int:pk>/reminder",
        views_targets.target_reminders,
        {"target_type": Target.PLAN},
        name="plan_reminders",
    ),
    path(
        "admin/membership/<int:pk>/reminder/analitik",
        views_targets.target_reminders_analytics,
        {"target_type": Target.PLAN},
        name="plan_reminders_analytics",
    ),
    path(
        "admin/membership/<int:pk>/reminder/urutan",
        views_targets.target_reminders_reorder,
        {"target_type": Target.PLAN},
        name="plan_reminders_reorder",
    ),
    path(
        "admin/produk/<int:pk>/reminder",
        views_targets.target_reminders,
        {"target_type": Target.PRODUCT},
        name="product_reminders",
    ),
    path(
        "admin/produk/<int:pk>/reminder/analitik",
        views_targets.target_reminders_analytics,
        {"target_type": Target.PRODUCT},
        name="product_reminders_analytics",
    ),
    path(
        "admin/produk/<int:pk>/reminder/urutan",
        views_targets.target_reminders_reorder,
        {"target_type": Target.PRODUCT},
        name="product_reminders_reorder",
    ),
    path(
        "admin/kursus/<int:pk>/pengingat",
        views_targets.target_reminders,
        {"target_type": Target.COURSE},
        name="course_reminders",
    ),
    path(
        "admin/kursus/<int:pk>/pengingat/analitik",
        views_targets.target_reminders_analytics,
        {"target_type": Target.COURSE},
        name="course_reminders_analytics",
    ),
    path(
        "admin/kursus/<int:pk>/pengingat/urutan",
        views_targets.target_reminders_reorder,
        {"target_type": Target.COURSE},
        name="course_reminders_reorder",
    ),
    path(
        "admin/event/<int:pk>/pengingat",
        views_targets.target_reminders,
        {"target_type": Target.EVENT},
        name="event_reminders",
    ),
    path(
        "admin/event/<int:pk>/pengingat/analitik",
        views_targets.target_reminders_analytics,
        {"target_type": Target.EVENT},
        name="event_reminders_analytics",
    ),
    path(
        "admin/event/<int:pk>/pengingat/urutan",
        views_targets.target_reminders_reorder,
        {"target_type": Target.EVENT},
        name="event_reminders_reorder",
    ),
    # The "Pengingat upgrade" tab of the supplier package page (registered in suppliers.hooks from apps.py).
    path("admin/supplier/pengingat", views_targets.supplier_reminders, name="supplier_reminders"),
    path("admin/supplier/pengingat/analitik", views_targets.supplier_analytics, name="supplier_analytics"),
    path(
        "admin/supplier/pengingat/urutan", views_targets.supplier_reminders_reorder, name="supplier_reminders_reorder"
    ),
    # Signed tracking links of reminder sends (no login: opened from an email or a phone).
    path("r/o/<str:token>.gif", views.track_open, name="track_open"),
    path("r/k/<str:token>", views.track_click, name="track_click"),
    path("admin/broadcast", views.broadcasts, name="broadcasts"),
    path("admin/broadcast/baru", views.broadcast_edit, name="broadcast_create"),
    path("admin/broadcast/sasaran", views.broadcast_audience, name="broadcast_audience"),
    path("admin/broadcast/<int:pk>", views.broadcast_edit, name="broadcast_edit"),
    path("admin/broadcast/<int:pk>/kirim", views.broadcast_send, name="broadcast_send"),
    path("admin/broadcast/<int:pk>/kemajuan", views.broadcast_progress, name="broadcast_progress"),
]

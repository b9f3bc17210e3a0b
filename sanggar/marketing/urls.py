from django.urls import path

from . import views

app_name = "marketing"
URL_ORDER = 65
urlpatterns = [
    path("admin/settings/pixel", views.pixel_settings, name="admin_pixels"),
    path("admin/testimoni", views.testimonial_list, name="admin_testimonials"),
    path("admin/testimoni/<int:pk>", views.testimonial_edit, name="admin_testimonial_edit"),
    path("admin/testimoni/<int:pk>/hapus", views.testimonial_delete, name="admin_testimonial_delete"),
    path("kunjungan/<slug:kind>/<slug:slug>", views.visit, name="visit"),
]

from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("peran/ganti", views.switch_role, name="switch_role"),
]

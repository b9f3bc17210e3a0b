from django.urls import path

from . import views

app_name = "branding"
urlpatterns = [path("admin/settings/branding", views.admin_settings, name="admin_settings")]

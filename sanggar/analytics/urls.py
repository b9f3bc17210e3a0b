from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("admin/analytics", views.analytics, name="admin"),
]

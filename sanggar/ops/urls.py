from django.urls import path

from . import views

app_name = "ops"
URL_ORDER = 5
urlpatterns = [
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
    path("admin/sistem/kesehatan", views.health_page, name="health"),
]

from django.urls import path

from . import views

app_name = "payments"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 80
urlpatterns = [
    path("webhooks/<slug:provider>", views.webhook, name="webhook"),
    path("admin/payments/<int:pk>/bukti", views.proof, name="proof"),
]

from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("webhooks/<slug:provider>", views.webhook, name="webhook"),
    path("admin/payments/<int:pk>/bukti", views.proof, name="proof"),
]

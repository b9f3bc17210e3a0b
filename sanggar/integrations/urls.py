from django.urls import path

from . import views

app_name = "integrations"
URL_ORDER = 35
urlpatterns = [
    path("admin/settings/payments", views.payments_settings, name="payments"),
    path("admin/settings/payments/rekening/<int:pk>", views.bank_edit, name="bank_edit"),
    path("admin/settings/payments/rekening/<int:pk>/hapus", views.bank_delete, name="bank_delete"),
    path("admin/settings/integrations", views.integrations_settings, name="integrations"),
    path("admin/settings/integrasi/<slug:key>/tes", views.integration_test, name="test"),
]

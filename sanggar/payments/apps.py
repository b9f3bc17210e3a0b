from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "sanggar.payments"
    label = "payments"

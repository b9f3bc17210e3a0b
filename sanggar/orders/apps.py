from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "sanggar.orders"
    label = "orders"

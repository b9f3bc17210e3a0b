from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "sanggar.finance"
    label = "finance"

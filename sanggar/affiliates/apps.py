from django.apps import AppConfig


class AffiliatesConfig(AppConfig):
    name = "sanggar.affiliates"
    label = "affiliates"

from django.apps import AppConfig


class BannersConfig(AppConfig):
    name = "sanggar.banners"
    label = "banners"

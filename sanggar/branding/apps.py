from django.apps import AppConfig


class BrandingConfig(AppConfig):
    name = "sanggar.branding"
    label = "branding"
    verbose_name = "Branding"

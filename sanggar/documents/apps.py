from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sanggar.documents"
    label = "documents"

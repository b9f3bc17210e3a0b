from django.apps import AppConfig


class ClassesConfig(AppConfig):
    name = "sanggar.classes"
    label = "classes"
    verbose_name = "Kelas Live"

from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "sanggar.trainings"
    label = "trainings"
    verbose_name = "Training"

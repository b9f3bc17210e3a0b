from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "sanggar.tickets"
    label = "tickets"

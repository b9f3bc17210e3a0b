from django.core.management.base import BaseCommand

from sanggar.notifications.services import message_templates_sync


class Command(BaseCommand):
    help = "Creates the message template of every registered notification kind that has none yet (edited ones stay)."

    def handle(self, *args, **options):
        created = message_templates_sync()
        self.stdout.write(f"{created} message templates created")

from django.apps import AppConfig


class ExampleTicketsConfig(AppConfig):
    name = "tests.example_app"
    label = "example_tickets"

    def ready(self):
        # Registrations that are not autodiscovered modules are made here (Django imports models before ready()).
        from sanggar.access.kinds import ResourceKindEntry, resource_kind_register

        from .access import room_check

        resource_kind_register(
            ResourceKindEntry(
                kind="example_room",
                label="Ruang Acara",
                this_label="Ruang acara ini",
                unlock="Beli tiket acaranya",
                check=room_check,
            )
        )

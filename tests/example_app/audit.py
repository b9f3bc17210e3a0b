from sanggar.audit.registry import register

register({"example.ticket_checked_in": "Tiket dipindai di pintu masuk"})

from sanggar.core.menu import ADMIN, MenuItem, menu_item

menu_item("tools", 90, MenuItem("Tiket Acara", "example_tickets:list", "ticket", ADMIN, "/tiket-contoh"))

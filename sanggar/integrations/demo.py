"""Demo data: two bank accounts for manual transfer (BCA and Mandiri), no credentials (keys are never demo data)."""

from .models import BankAccount

ACCOUNTS = (
    ("BCA", "8720 1234 56", "PT Sanggar Edukasi Nusantara", 1),
    ("Mandiri", "137 00 1234567 8", "PT Sanggar Edukasi Nusantara", 2),
)


def seed(*, log) -> None:
    created = 0
    for bank_name, number, holder, order in ACCOUNTS:
        _, made = BankAccount.objects.get_or_create(
            bank_name=bank_name,
            account_number=number,
            defaults={"account_holder": holder, "sort_order": order, "is_active": True},
        )
        created += made
    log(f"{created} rekening transfer dibuat ({len(ACCOUNTS)} ada).")

import pytest
from django.core.management import call_command

from sanggar.booster.models import CreditPackage, Lead, OptinForm, Sequence

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent():
    call_command("seed_demo")
    counts = (CreditPackage.objects.count(), Lead.objects.count(), Sequence.objects.count(), OptinForm.objects.count())
    assert counts[0] == 5 and counts[1] >= 8
    call_command("seed_demo")
    assert counts == (CreditPackage.objects.count(), Lead.objects.count(), Sequence.objects.count(),
                      OptinForm.objects.count())  # fmt: skip


def test_demo_sequences_speak_indonesian_and_the_affiliate_adopted_the_welcome_one():
    call_command("seed_demo")
    defaults = set(Sequence.objects.filter(owner_id__isnull=True).values_list("name", flat=True))
    assert defaults == {
        "Tindak Lanjut Zoom", "Pengingat Pembayaran Tertunda", "Sambutan Lead Baru", "Rangkaian Ebook / Lead Magnet"
    }  # fmt: skip
    adopted = Sequence.objects.filter(owner_id__isnull=False).values_list("name", flat=True)
    assert "Sambutan Lead Baru" in set(adopted)

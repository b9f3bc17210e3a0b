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

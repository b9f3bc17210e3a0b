"""Affiliate profiles: one per user holding the Affiliate role, with a unique code."""

import re
import unicodedata

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import ServiceError

from ..constants import CODE_MAX_LENGTH, RESERVED_SLUGS, AffiliateAction
from ..models import AffiliateProfile

_MAX_ATTEMPTS = 50


def code_base(user) -> str:
    """Upper-case letters and digits of the user's first name (else the email's local part), e.g. "DINDA"."""
    name = unicodedata.normalize("NFKD", user.full_name or "").encode("ascii", "ignore").decode()
    words = [re.sub(r"[^A-Za-z0-9]", "", w) for w in name.split()]
    base = next((w for w in words if w), "")
    if len(base) < 3:
        base = re.sub(r"[^A-Za-z0-9]", "", (user.email or "").split("@", 1)[0]) or base
    base = base.upper()[: CODE_MAX_LENGTH - 3]
    return base if len(base) >= 3 else f"AFF{base}"


def _candidates(base: str):
    yield base
    for n in range(2, _MAX_ATTEMPTS + 2):
        yield f"{base}{n}"


@transaction.atomic
def affiliate_profile_ensure(*, user) -> AffiliateProfile:
    """The user's affiliate profile, created with a unique code ("DINDA", "DINDA2", …) the first time. Safe to call
    twice or concurrently (the unique constraints decide; the loser reads the winner's row)."""
    existing = AffiliateProfile.objects.filter(user=user).first()
    if existing is not None:
        return existing
    taken = set(AffiliateProfile.objects.filter(code__startswith=code_base(user)).values_list("code", flat=True))
    for code in _candidates(code_base(user)):
        if code in taken or code.lower() in RESERVED_SLUGS:
            continue
        try:
            with transaction.atomic():
                profile = AffiliateProfile.objects.create(user=user, code=code)
        except IntegrityError:
            existing = AffiliateProfile.objects.filter(user=user).first()
            if existing is not None:
                return existing
            continue
        activity_record(
            action=AffiliateAction.PROFILE_CREATED, actor=None, target=user, data={"code": code, "profile": profile.pk}
        )
        return profile
    raise ServiceError(_("Kode affiliate unik tidak bisa dibuat. Coba lagi."))

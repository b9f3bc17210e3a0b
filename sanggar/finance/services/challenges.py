"""Challenge rewards: when a challenge's window has closed, every affiliate who reached its target gets the reward
in their available wallet, paid by the company (`challenge:<id>:<affiliate>`)."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from sanggar.affiliates import services as affiliate_services
from sanggar.affiliates.models import AffiliateProfile, Challenge, ChallengeAward
from sanggar.affiliates.selectors_stats import challenge_sales_counts
from sanggar.audit.services import activity_record

from ..constants import AccountKind, Bucket, FinanceAction, TransactionKind
from .ledger import Posting, transaction_post


def _award(challenge: Challenge, *, affiliate_id: int, sales: int) -> bool:
    profile = AffiliateProfile.objects.select_related("user").get(pk=affiliate_id)
    try:
        with transaction.atomic():
            award = affiliate_services.challenge_award_record(challenge=challenge, affiliate=profile, sales=sales)
            transaction_post(
                key=f"challenge:{challenge.pk}:{profile.pk}",
                kind=TransactionKind.CHALLENGE_REWARD,
                postings=[
                    Posting(AccountKind.COMPANY, Bucket.NONE, -challenge.reward),
                    Posting(AccountKind.AFFILIATE, Bucket.AVAILABLE, challenge.reward, profile.user_id),
                ],
                memo=f"Hadiah challenge {challenge.title}"[:300],
                data={"challenge": challenge.pk, "affiliate": profile.pk, "sales": sales},
            )
            activity_record(
                action=FinanceAction.CHALLENGE_AWARDED,
                target=award,
                target_label=f"{challenge.title} · {profile.code}"[:255],
                data={"challenge": challenge.pk, "affiliate": profile.pk, "sales": sales, "amount": challenge.reward},
            )
    except IntegrityError:  # awarded already (a concurrent sweep)
        return False
    return True


def challenge_awards_sweep(*, now: datetime | None = None) -> int:
    """Posts the rewards of every active challenge whose window closed before `now`, once per affiliate who
    reached its target (sales = paid referred orders in the window, `affiliates.selectors_stats`). Safe twice or
    concurrently: the award's unique constraint and the ledger key hold. Returns how many rewards were posted."""
    now = now or timezone.now()
    posted = 0
    for challenge in Challenge.objects.filter(is_active=True, ends_at__lte=now, reward__gt=0).order_by("ends_at"):
        awarded = set(ChallengeAward.objects.filter(challenge=challenge).values_list("affiliate_id", flat=True))
        for row in challenge_sales_counts(challenge=challenge):
            if row["sales"] < challenge.target_sales or row["affiliate_id"] in awarded:
                continue
            posted += _award(challenge, affiliate_id=row["affiliate_id"], sales=row["sales"])
    return posted

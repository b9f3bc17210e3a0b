"""The check the `example_room` resource kind adds to the one access policy: a closed room is closed for everyone."""

from sanggar.access.constants import DenyReason
from sanggar.access.policy import AccessDecision


def room_check(*, resource, facts):
    if resource.key.startswith("closed-"):
        return AccessDecision(allowed=False, reason=DenyReason.INACTIVE_RESOURCE, message="Ruang acara ini ditutup.")
    return None  # no opinion: grants and memberships decide

"""Affiliate services (a package; import from `sanggar.affiliates.services`).

Modules added by the affiliate-ui helper (tiers, challenges, kit) are imported from their own module paths."""

from .clicks import click_record
from .commissions import (
    CommissionLine,
    CommissionQuote,
    attribution_decision_record,
    challenge_award_record,
    commission_compute,
    commission_record,
    commission_release,
    commission_status_set,
    commissions_reverse,
    line_commission,
)
from .common import (
    REF_COOKIE,
    CookieReferral,
    attribution_settings_current,
    attribution_settings_save,
    attribution_settings_validate,
    click_token,
    click_token_valid,
    code_clean,
    ip_hash,
    referral_cookie_parse,
    referral_cookie_value,
)
from .profiles import affiliate_profile_ensure
from .referrals import (
    Attribution,
    attribution_for_order,
    attribution_record,
    attribution_resolve,
    referral_bind,
)
from .short_links import (
    domain_for_input,
    short_link_check,
    short_link_create,
    short_link_domain_create,
    short_link_domain_set_active,
    short_link_hosts,
    short_link_set_active,
    short_link_url,
    target_path,
)

__all__ = [
    "REF_COOKIE",
    "Attribution",
    "CommissionLine",
    "CommissionQuote",
    "CookieReferral",
    "affiliate_profile_ensure",
    "attribution_for_order",
    "attribution_record",
    "attribution_resolve",
    "click_record",
    "click_token",
    "click_token_valid",
    "code_clean",
    "attribution_decision_record",
    "attribution_settings_current",
    "attribution_settings_save",
    "attribution_settings_validate",
    "challenge_award_record",
    "commission_compute",
    "commission_record",
    "commission_release",
    "commission_status_set",
    "commissions_reverse",
    "domain_for_input",
    "ip_hash",
    "line_commission",
    "referral_bind",
    "referral_cookie_parse",
    "referral_cookie_value",
    "short_link_check",
    "short_link_create",
    "short_link_domain_create",
    "short_link_domain_set_active",
    "short_link_hosts",
    "short_link_set_active",
    "short_link_url",
    "target_path",
]

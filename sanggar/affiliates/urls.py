from django.urls import path

from .views import (
    admin_affiliates,
    admin_challenges,
    admin_decisions,
    admin_domains,
    admin_kit,
    admin_tiers,
    challenges,
    kit,
    leaderboard,
    links,
    resolver,
    short_links,
    stats,
)

app_name = "affiliates"
# Included by `config/urls.py` (discovery), at this place among the apps' URLs.
URL_ORDER = 110

# Attribution: short links, ready links, domains, decisions (helper "attribution").
urlpatterns = [
    path("s/<str:slug>", resolver.short_link, name="short_link"),
    path("affiliate/link", links.links, name="links"),
    path("affiliate/short-links", short_links.short_links, name="short_links"),
    path("affiliate/short-links/cek", short_links.short_link_check_view, name="short_link_check"),
    path("affiliate/short-links/<int:pk>/status", short_links.short_link_toggle, name="short_link_toggle"),
    path("admin/affiliate/domains", admin_domains.domains, name="admin_domains"),
    path("admin/affiliate/domains/<int:pk>/status", admin_domains.domain_toggle, name="admin_domain_toggle"),
    path("admin/affiliate/keputusan", admin_decisions.decisions, name="admin_decisions"),
    path("admin/affiliate/keputusan/komisi/<int:pk>", admin_decisions.review_decide, name="admin_commission_review"),
]

# Dashboard, statistics, leaderboard, challenges, marketing kit and the programme's admin pages (helper "affiliate-ui").
urlpatterns += [
    path("affiliate/statistik", stats.stats, name="stats"),
    path("affiliate/leaderboard", leaderboard.leaderboard, name="leaderboard"),
    path("affiliate/challenge", challenges.challenges, name="challenges"),
    path("affiliate/marketing-kit", kit.kit, name="kit"),
    path("affiliate/marketing-kit/<int:pk>/unduh", kit.kit_download, name="kit_download"),
    path("admin/affiliate", admin_affiliates.affiliate_list, name="admin_affiliates"),
    path("admin/affiliate/export.csv", admin_affiliates.affiliate_export, name="admin_affiliates_export"),
    path("admin/affiliate/<int:pk>", admin_affiliates.affiliate_detail, name="admin_affiliate_detail"),
    path("admin/affiliate/<int:pk>/status", admin_affiliates.affiliate_status, name="admin_affiliate_status"),
    path("admin/affiliate/tier", admin_tiers.tier_list, name="admin_tiers"),
    path("admin/affiliate/tier/baru", admin_tiers.tier_create, name="admin_tier_create"),
    path("admin/affiliate/tier/<int:pk>", admin_tiers.tier_edit, name="admin_tier_edit"),
    path("admin/affiliate/tier/<int:pk>/hapus", admin_tiers.tier_delete, name="admin_tier_delete"),
    path("admin/affiliate/challenge", admin_challenges.challenge_list, name="admin_challenges"),
    path("admin/affiliate/challenge/baru", admin_challenges.challenge_create, name="admin_challenge_create"),
    path("admin/affiliate/challenge/<int:pk>", admin_challenges.challenge_edit, name="admin_challenge_edit"),
    path("admin/affiliate/challenge/<int:pk>/hapus", admin_challenges.challenge_delete, name="admin_challenge_delete"),
    path("admin/affiliate/marketing-kit", admin_kit.kit_list, name="admin_kit"),
    path("admin/affiliate/marketing-kit/baru", admin_kit.kit_create, name="admin_kit_create"),
    path("admin/affiliate/marketing-kit/<int:pk>", admin_kit.kit_edit, name="admin_kit_edit"),
    path("admin/affiliate/marketing-kit/<int:pk>/hapus", admin_kit.kit_delete, name="admin_kit_delete"),
]

"""Only the closest menu link is active: a page under the groups' prefix lights the groups link, not the feed's
shorter prefix as well."""

from sanggar.core.menu import menu_for
from sanggar.core.roles import Role


def _active(path):
    return [item.url for section in menu_for(Role.MEMBER, path) for item in section.items if item.active]


def test_the_longest_matching_prefix_wins():
    assert _active("/komunitas") == ["/komunitas"]
    assert _active("/komunitas/grup/grup-belajar") == ["/komunitas/grup"]


def test_no_link_is_active_on_an_unrelated_page():
    assert _active("/halaman-yang-tidak-ada-di-menu") == []


def test_the_resolved_menu_is_reused_and_a_new_item_shows_at_once():
    from sanggar.core.menu import MenuItem, menu_item, menu_item_remove

    first = menu_for(Role.MEMBER, "/komunitas")
    assert menu_for(Role.MEMBER, "/komunitas") is first  # built once, the sidebar's HTML with it
    menu_item("tools", 999, MenuItem("Uji", "healthz", "star", (Role.MEMBER,), "/healthz"))
    try:
        labels = [item.label for section in menu_for(Role.MEMBER, "/healthz") for item in section.items]
        assert "Uji" in labels
        assert _active("/healthz") == ["/healthz"]
    finally:
        menu_item_remove("healthz")
    assert "Uji" not in [item.label for section in menu_for(Role.MEMBER, "/") for item in section.items]

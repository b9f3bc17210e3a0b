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

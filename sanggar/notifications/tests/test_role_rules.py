"""The admin's role rules (/admin/settings/notification-rules): which roles receive which preference groups, enforced
by notify_users / notify_many / notify_text for every recipient in one query; account-security kinds always go out."""

import pytest

from sanggar.accounts.notifications import PASSWORD_RESET
from sanggar.audit.models import ActivityLog
from sanggar.core.roles import Role
from sanggar.notifications import notifications as groups
from sanggar.notifications import registry, services
from sanggar.notifications.models import NotificationRoleRule
from sanggar.notifications.services import Announcement, notify_many, notify_text, notify_users

pytestmark = pytest.mark.django_db


def _kind_of(group: str) -> str:
    return next(k.key for k in registry.kinds() if k.group == group and not k.required)


def _all_but(*off) -> list[tuple[str, str]]:
    return [(g, r) for g in registry.group_keys() for r in Role.values if (g, r) not in off]


def test_rules_leave_out_roles_and_a_user_with_several_roles_stays(admin_user, make_user):
    member, mentor = make_user(), make_user(Role.MENTOR)
    group_kind, event_kind = _kind_of("group"), _kind_of("event")
    changed = services.role_rules_save(actor=admin_user, enabled_pairs=_all_but(("group", Role.MEMBER)))
    assert changed == 1 and NotificationRoleRule.objects.filter(enabled=False).count() == 1
    assert ActivityLog.objects.filter(action="notifications.role_rules_changed").exists()
    told = notify_users(users=[member, mentor], kind=group_kind)
    assert [n.user_id for n in told] == [mentor.pk]  # the mentor also holds Member; mentors receive groups
    assert len(notify_users(users=[member], kind=event_kind)) == 1  # other groups unaffected
    both = notify_many([Announcement(users=[member], kind=group_kind), Announcement(users=[member], kind=event_kind)])
    assert [len(b) for b in both] == [0, 1]
    assert services.role_rules_save(actor=admin_user, enabled_pairs=_all_but()) == 1  # back on
    assert len(notify_users(users=[member], kind=group_kind)) == 1


def test_notify_text_and_account_security_always(admin_user, make_user):
    member = make_user()
    services.role_rules_save(actor=admin_user, enabled_pairs=[])  # every role off for every group
    assert notify_text(user=member, kind=groups.SYSTEM, title="Info") is None
    assert notify_users(users=[member], kind=_kind_of(groups.SYSTEM)) == []
    # account security (password reset) is required: the rules never hold it back
    assert len(notify_users(users=[member], kind=PASSWORD_RESET, context={"reset_link": "/x"})) == 1


def test_rules_cost_one_query_whatever_the_recipients(make_user, django_assert_max_num_queries):
    NotificationRoleRule.objects.create(group="group", role=Role.MEMBER, enabled=False)
    users = [make_user(Role.MENTOR) for _ in range(5)] + [make_user() for _ in range(5)]
    kind = _kind_of("group")
    notify_users(users=users[:1], kind=kind, channels=())  # warm the template and rules caches
    with django_assert_max_num_queries(8):  # roles, the insert, savepoints: not per user
        told = notify_users(users=users, kind=kind, channels=())
    assert len(told) == 5


def test_admin_page(client, admin_user, make_user):
    assert client.get("/admin/settings/notification-rules").status_code in (302, 403)
    client.force_login(make_user())
    assert client.get("/admin/settings/notification-rules").status_code in (302, 403)
    client.force_login(admin_user)
    page = client.get("/admin/settings/notification-rules").content.decode()
    assert 'id="role-rules"' in page and 'value="group:member" checked' in page
    assert client.post("/admin/settings/notification-rules", {"rule": ["a\x00:b"]}).status_code == 400  # not a 500
    r = client.post("/admin/settings/notification-rules", {"rule": ["group:admin", "zzz:qq"]})
    assert r.status_code == 302
    assert NotificationRoleRule.objects.filter(group="group", role=Role.MEMBER, enabled=False).exists()
    assert not NotificationRoleRule.objects.filter(group="zzz").exists()
    assert 'value="group:member" checked' not in client.get("/admin/settings/notification-rules").content.decode()

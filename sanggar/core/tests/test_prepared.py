"""Prepared queries: compiled once, they return what the queryset returns (rows, select_related, annotations,
values_list), run the same SQL with the run's values, keep select_for_update's transaction check, and refuse a
placeholder that is not in the compiled statement."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from sanggar.accounts.models import User, UserRole
from sanggar.core.prepared import Prepared
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db

USER = Prepared(lambda pk: User.objects.filter(pk=pk).annotate(tag=Value("x")), pk=-5_000_001)
ROLE_WITH_USER = Prepared(
    lambda user_id, role: UserRole.objects.select_related("user").filter(user_id=user_id, role=role),
    user_id=-5_000_002,
    role="\x00role",
)
EMAILS = Prepared(
    lambda a, b: User.objects.filter(pk__in=[a, b]).order_by("pk").values_list("email", flat=True),
    a=-5_000_003,
    b=-5_000_004,
)
PAIRS = Prepared(lambda pk: User.objects.filter(pk=pk).values_list("pk", "email"), pk=-5_000_005)
LOCKED = Prepared(lambda pk: User.objects.select_for_update().filter(pk=pk), pk=-5_000_006)


def test_rows_match_the_orm_and_run_with_the_runs_values():
    ani = User.objects.create(email="ani@contoh.id", full_name="Ani")
    budi = User.objects.create(email="budi@contoh.id", full_name="Budi")
    UserRole.objects.create(user=budi, role=Role.AFFILIATE)

    first = USER.get(pk=ani.pk)
    assert (first.pk, first.email, first.full_name, first.tag) == (ani.pk, "ani@contoh.id", "Ani", "x")
    assert first._state.adding is False and first._state.db == "default"
    assert USER.get(pk=budi.pk).email == "budi@contoh.id"  # the compiled statement, new value
    assert USER.first(pk=-1) is None
    with pytest.raises(User.DoesNotExist):
        USER.get(pk=-1)

    role = ROLE_WITH_USER.get(user_id=budi.pk, role=Role.AFFILIATE)
    with CaptureQueriesContext(connection) as captured:
        assert role.user.email == "budi@contoh.id"  # select_related populated: no query
    assert not captured.captured_queries
    assert ROLE_WITH_USER.all(user_id=ani.pk, role=Role.AFFILIATE) == []

    assert EMAILS.all(a=budi.pk, b=ani.pk) == ["ani@contoh.id", "budi@contoh.id"]
    assert PAIRS.all(pk=ani.pk) == [(ani.pk, "ani@contoh.id")]


def test_one_statement_per_run_and_the_same_sql_as_the_orm():
    ani = User.objects.create(email="ani@contoh.id")
    USER.get(pk=ani.pk)
    with CaptureQueriesContext(connection) as captured:
        USER.get(pk=ani.pk)
    assert len(captured.captured_queries) == 1
    with CaptureQueriesContext(connection) as orm:
        list(User.objects.filter(pk=ani.pk).annotate(tag=Value("x")))
    assert captured.captured_queries[0]["sql"] == orm.captured_queries[0]["sql"]


@pytest.mark.django_db(transaction=True)
def test_locking_needs_a_transaction():
    ani = User.objects.create(email="ani@contoh.id")
    with transaction.atomic():
        assert LOCKED.get(pk=ani.pk).pk == ani.pk
    with pytest.raises(TransactionManagementError):
        LOCKED.get(pk=ani.pk)  # autocommit: as the ORM, refused


def test_a_placeholder_missing_from_the_statement_is_refused():
    broken = Prepared(lambda pk: User.objects.filter(is_active=True), pk=-5_000_007)
    with pytest.raises(ImproperlyConfigured):
        broken.all(pk=1)
    with pytest.raises(TypeError):
        PAIRS.all()


def test_insert_writes_the_row_the_orm_writes():
    from django.db import IntegrityError

    from sanggar.core.prepared import create, insert

    user = create(User, email="citra@contoh.id", full_name="Citra")
    assert user.pk and user._state.adding is False and user._state.db == "default"
    stored = User.objects.get(pk=user.pk)
    assert (stored.email, stored.full_name, stored.is_active) == ("citra@contoh.id", "Citra", True)
    assert stored.date_joined is not None  # the field's own default
    role = create(UserRole, user=user, role=Role.AFFILIATE)
    assert UserRole.objects.get(pk=role.pk).user_id == user.pk
    with pytest.raises(IntegrityError), transaction.atomic():  # a unique column still refuses a second row
        create(User, email="citra@contoh.id")
    kept = User(pk=user.pk + 1000, email="dodi@contoh.id")
    insert(kept)  # a key already set: saved by the ORM
    assert User.objects.filter(pk=user.pk + 1000, email="dodi@contoh.id").exists()


def test_update_writes_the_columns_save_writes_and_refuses_a_missing_row():
    from django.db import DatabaseError

    from sanggar.core.prepared import update

    ani = User.objects.create(email="ani@contoh.id", full_name="Ani", province="Bali")
    ani.full_name, ani.province = "Ani Baru", "Aceh"
    update(ani, ["full_name"])  # only the named column
    stored = User.objects.get(pk=ani.pk)
    assert (stored.full_name, stored.province) == ("Ani Baru", "Bali")
    with CaptureQueriesContext(connection) as captured:
        update(ani, ["full_name", "province"])
    assert len(captured.captured_queries) == 1 and captured.captured_queries[0]["sql"].startswith("UPDATE")
    assert User.objects.filter(pk=ani.pk, province="Aceh").exists()
    gone = User(pk=ani.pk + 10_000, email="x@contoh.id")
    with pytest.raises(DatabaseError), transaction.atomic():
        update(gone, ["full_name"])  # as save(update_fields=...): no row, an error


def test_update_stamps_auto_now_and_writes_a_foreign_key_and_null():
    from sanggar.accounts.models import AffiliateApplication
    from sanggar.core.prepared import update

    ani = User.objects.create(email="ani@contoh.id")
    admin = User.objects.create(email="admin@contoh.id")
    application = AffiliateApplication.objects.create(user=ani, motivation="ingin berbagi", decision_note="x")
    before = application.updated_at
    application.decided_by, application.status, application.decision_note = admin, "approved", ""
    update(application, ["decided_by", "status", "updated_at"])
    stored = AffiliateApplication.objects.get(pk=application.pk)
    assert (stored.decided_by_id, stored.status, stored.decision_note) == (admin.pk, "approved", "x")
    assert stored.updated_at > before  # auto_now, as save(update_fields=...) stamps it
    application.decided_by = None
    update(application, ["decided_by_id"])  # by attname too
    assert AffiliateApplication.objects.get(pk=application.pk).decided_by_id is None


def test_insert_many_writes_the_rows_bulk_create_writes_in_one_statement():
    from sanggar.core.prepared import insert_many

    users = [User(email=f"u{n}@contoh.id", full_name=f"U{n}") for n in range(3)]
    with CaptureQueriesContext(connection) as captured:
        insert_many(users)
    assert len(captured.captured_queries) == 1
    assert all(u.pk and u._state.adding is False and u._state.db == "default" for u in users)
    assert list(User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk").values_list("email", flat=True)) == [
        "u0@contoh.id",
        "u1@contoh.id",
        "u2@contoh.id",
    ]
    assert User.objects.get(pk=users[0].pk).date_joined is not None  # the field's default, as bulk_create
    roles = insert_many([UserRole(user=u, role=Role.AFFILIATE) for u in users])
    assert {r.user_id for r in roles} == {u.pk for u in users}
    assert insert_many([]) == []
    with pytest.raises(IntegrityError), transaction.atomic():  # the unique email still refuses
        insert_many([User(email="u0@contoh.id")])


def test_insert_with_rows_writes_a_row_and_its_rows_in_one_statement():
    from sanggar.accounts.models import AffiliateApplication
    from sanggar.core.prepared import insert_with_rows

    ani = User(email="ani@contoh.id", full_name="Ani")
    roles = [UserRole(role=Role.AFFILIATE), UserRole(role=Role.MEMBER)]
    with CaptureQueriesContext(connection) as captured:
        insert_with_rows(ani, roles, link="user")
    assert len(captured.captured_queries) == 1
    assert ani.pk and ani._state.adding is False and all(r.pk and r.user_id == ani.pk for r in roles)
    assert User.objects.get(pk=ani.pk).date_joined is not None  # the parent's field defaults
    assert sorted(UserRole.objects.filter(user=ani).values_list("role", flat=True)) == sorted(
        [Role.AFFILIATE, Role.MEMBER]
    )
    budi = insert_with_rows(User(email="budi@contoh.id"), [], link="user")  # no rows: the parent alone
    assert User.objects.filter(pk=budi.pk).exists()
    application = AffiliateApplication(user=budi, motivation="x")
    with pytest.raises(IntegrityError), transaction.atomic():  # the parent's unique key refuses: nothing is written
        insert_with_rows(User(email="ani@contoh.id"), [application], link="user")

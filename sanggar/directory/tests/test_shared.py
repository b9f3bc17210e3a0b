"""The shared rules (services.py): quota per plan, the ledger, masking, likes, reports."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import RateLimited, ServiceError
from sanggar.directory import masking
from sanggar.directory import services as directory
from sanggar.directory.models import DirectoryView, QuotaUse

from .conftest import join

WIB = ZoneInfo("Asia/Jakarta")


def test_free_member_gets_the_default_and_reopening_is_free(member):
    status = directory.quota_status(user=member, kind="buyer")
    assert (status.used, status.limit, status.label) == (0, 5, "0 dari 5 detail buyer bulan ini")
    first = directory.directory_open(user=member, kind="buyer", object_id=10)
    again = directory.directory_open(user=member, kind="buyer", object_id=10)
    assert first.charged and not again.charged
    assert again.status.label == "1 dari 5 detail buyer bulan ini"
    assert QuotaUse.objects.filter(user=member).count() == 1
    assert DirectoryView.objects.filter(user=member, object_id=10).count() == 2  # every opening is logged


def test_quota_edge_refuses_the_next_new_object(member):
    for pk in range(1, 6):
        directory.directory_open(user=member, kind="buyer", object_id=pk)
    with pytest.raises(directory.QuotaExhausted) as exc:
        directory.directory_open(user=member, kind="buyer", object_id=6)
    assert exc.value.status_code == 403
    assert exc.value.errors["quota"] == ["5 dari 5 detail buyer bulan ini"]
    assert exc.value.decision.action_url
    assert not DirectoryView.objects.filter(object_id=6).exists()
    # an object already opened this month still opens
    assert directory.directory_open(user=member, kind="buyer", object_id=3).charged is False


def test_month_boundary_is_wib(member, settings):
    settings.DIRECTORY_OPEN_RATE_LIMIT = "1000/600"
    late = datetime(2026, 11, 30, 23, 59, tzinfo=WIB)  # 16:59 UTC
    after = datetime(2026, 12, 1, 0, 1, tzinfo=WIB)  # 17:01 UTC on 30 November
    for pk in range(1, 6):
        directory.directory_open(user=member, kind="buyer", object_id=pk, now=late)
    with pytest.raises(directory.QuotaExhausted):
        directory.directory_open(user=member, kind="buyer", object_id=9, now=late)
    result = directory.directory_open(user=member, kind="buyer", object_id=1, now=after)
    assert result.charged  # a new month: the same buyer costs a unit again
    assert result.status.label == "1 dari 5 detail buyer bulan ini"
    assert directory.opened_ids(user=member, kind="buyer", object_ids=[1, 2], now=after) == {1}


def test_plan_row_in_the_admin_table_wins(member, plans, admin_user):
    join(member, plans["6m"])
    assert directory.quota_status(user=member, kind="buyer").limit == 20  # the kind's default for a plan
    directory.quota_set(actor=admin_user, kind="buyer", plan=plans["6m"], monthly_limit=2)
    directory.quota_set(actor=admin_user, kind="buyer", plan=None, monthly_limit=0)
    assert directory.quota_status(user=member, kind="buyer").label == "0 dari 2 detail buyer bulan ini"
    directory.quota_set(actor=admin_user, kind="buyer", plan=plans["6m"], monthly_limit=None)
    assert directory.quota_status(user=member, kind="buyer").unlimited
    assert ActivityLog.objects.filter(action="directory.quota_saved").count() == 3


def test_quota_zero_is_locked(member, admin_user):
    directory.quota_set(actor=admin_user, kind="buyer", plan=None, monthly_limit=0)
    with pytest.raises(directory.QuotaExhausted) as exc:
        directory.directory_open(user=member, kind="buyer", object_id=1)
    assert exc.value.errors["reason"] == ["quota_locked"]


def test_admin_is_never_charged(admin_user):
    result = directory.directory_open(user=admin_user, kind="buyer", object_id=1)
    assert not result.charged and result.status.unlimited
    assert not QuotaUse.objects.exists()
    assert directory.opened_ids(user=admin_user, kind="buyer", object_ids=[4, 5]) == {4, 5}


@pytest.mark.django_db(transaction=True)
def test_two_parallel_openings_at_the_last_unit_one_succeeds(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    member = make_user(full_name="Paralel", email="paralel@example.com")
    for pk in range(1, 5):
        directory.directory_open(user=member, kind="buyer", object_id=pk)
    barrier = threading.Barrier(2)
    outcomes = []

    def open_one(pk):
        from django.db import connection as conn

        barrier.wait()
        try:
            directory.directory_open(user=member, kind="buyer", object_id=pk)
            outcomes.append("ok")
        except directory.QuotaExhausted:
            outcomes.append("refused")
        finally:
            conn.close()

    threads = [threading.Thread(target=open_one, args=(pk,)) for pk in (100, 101)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert QuotaUse.objects.filter(user=member).count() == 5


def test_masking_keeps_nothing_to_copy():
    assert masking.mask_email("jane.doe@acme.co.jp") == "j•••@a•••.jp"
    assert masking.mask_phone("+81 3-1234-5678") == "+81 ••••••78"
    assert "1234" not in masking.mask_phone("+81 3-1234-5678")
    assert masking.mask_text("Takeshi Yamada") == "T••• Y•••"
    assert masking.mask_url("https://www.acme.co.jp/about") == "www.a•••"
    assert masking.mask_email("") == masking.mask_phone("") == ""


def test_likes_are_unique_and_return_the_counter_delta(member):
    assert directory.like_set(user=member, kind="buyer", object_id=7, liked=True) == 1
    assert directory.like_set(user=member, kind="buyer", object_id=7, liked=True) == 0
    assert directory.liked_ids(user=member, kind="buyer", object_ids=[7, 8]) == {7}
    assert directory.like_set(user=member, kind="buyer", object_id=7, liked=False) == -1
    assert directory.like_set(user=member, kind="buyer", object_id=7, liked=False) == 0


def test_report_flow_and_limits(member, admin_user, settings):
    report = directory.report_create(
        user=member, kind="buyer", object_id=3, object_title="Acme", reason="wrong_contact", detail="Email mental."
    )
    with pytest.raises(ServiceError):  # one open report per member and entry
        directory.report_create(user=member, kind="buyer", object_id=3, reason="wrong_contact")
    with pytest.raises(ServiceError):
        directory.report_create(user=member, kind="buyer", object_id=4, reason="other", detail="")
    with pytest.raises(ServiceError):
        directory.report_create(user=member, kind="buyer", object_id=4, reason="other", detail="a\x00b")
    with pytest.raises(ServiceError):
        directory.report_create(user=member, kind="buyer", object_id=4, reason="nonsense")
    handled = directory.report_handle(actor=admin_user, report_id=report.pk, status="fixed", note="Sudah diganti.")
    assert handled.status == "fixed" and handled.handled_by == admin_user
    with pytest.raises(ServiceError):
        directory.report_handle(actor=admin_user, report_id=report.pk, status="hidden")
    settings.DIRECTORY_REPORT_RATE_LIMIT = "1/3600"
    with pytest.raises(RateLimited):
        directory.report_create(user=member, kind="buyer", object_id=5, reason="duplicate")

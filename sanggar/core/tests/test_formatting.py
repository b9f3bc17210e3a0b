from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from sanggar.core.formatting import jam, rupiah, tanggal, tanggal_jam


def test_rupiah_groups_thousands_with_dots():
    assert rupiah(1500000) == "Rp 1.500.000"
    assert rupiah(0) == "Rp 0"
    assert rupiah(999) == "Rp 999"
    assert rupiah(-250000) == "-Rp 250.000"
    assert rupiah(None) == ""


@given(st.integers(min_value=0, max_value=10**15))
def test_rupiah_round_trips(amount):
    text = rupiah(amount)
    assert text.startswith("Rp ")
    assert int(text[3:].replace(".", "")) == amount


def test_dates_are_indonesian_and_in_wib():
    # 17:30 UTC is 00:30 the next day in Jakarta (UTC+7).
    moment = datetime(2025, 11, 22, 17, 30, tzinfo=UTC)
    assert tanggal(moment) == "23 Nov 2025"
    assert jam(moment) == "00:30 WIB"
    assert tanggal_jam(moment) == "23 Nov 2025, 00:30 WIB"
    assert tanggal(date(2025, 8, 17)) == "17 Agu 2025"
    assert tanggal(None) == ""

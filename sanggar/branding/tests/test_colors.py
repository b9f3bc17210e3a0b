import pytest

from sanggar.branding.colors import contrast_ratio, is_hex6, normalize_hex, relative_luminance


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [
        ("#FFFFFF", "#2047FC", 6.23),
        ("#111827", "#FFC30D", 11.04),
        ("#FFFF00", "#FFFFFF", 1.07),
        ("#000000", "#FFFFFF", 21.0),
        ("#FFFFFF", "#FFFFFF", 1.0),
        ("#FFFFFF", "#FFC30D", 1.61),
    ],
)
def test_contrast_ratio_known_pairs(foreground, background, expected):
    assert round(contrast_ratio(foreground, background), 2) == expected


def test_contrast_ratio_ignores_order_and_case():
    assert contrast_ratio("#2047fc", "#ffffff") == contrast_ratio("#FFFFFF", "#2047FC")


def test_relative_luminance_extremes():
    assert relative_luminance("#000000") == 0.0
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)


def test_relative_luminance_refuses_non_colours():
    with pytest.raises(ValueError):
        relative_luminance("blue")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#2047fc", "#2047FC"),
        ("2047FC", "#2047FC"),
        ("  #ffc30d ", "#FFC30D"),
        ("#24f", "#2244FF"),
        ("fff", "#FFFFFF"),
    ],
)
def test_normalize_hex_accepts_hex_forms(value, expected):
    assert normalize_hex(value) == expected


@pytest.mark.parametrize(
    "value",
    [None, 123, "", "red", "#12345", "#1234567", "#GGGGGG", "#fff;}", "#2047FC;background:url(x)", "rgb(1,2,3)"],
)
def test_normalize_hex_refuses_everything_else(value):
    assert normalize_hex(value) is None


def test_is_hex6_only_accepts_normalised_colours():
    assert is_hex6("#2047FC") is True
    assert is_hex6("#2047fc") is False
    assert is_hex6("#24F") is False
    assert is_hex6("#2047FC;") is False
    assert is_hex6(None) is False

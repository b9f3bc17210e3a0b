"""Colour maths: hex parsing and the WCAG 2.x contrast ratio."""

import re

_HEX6 = re.compile(r"#[0-9A-F]{6}")
_HEX_INPUT = re.compile(r"#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")


def normalize_hex(value) -> str | None:
    """'#2047fc', '2047FC' and '#24f' → '#2047FC' / '#2244FF'; anything else → None."""
    if not isinstance(value, str):
        return None
    match = _HEX_INPUT.fullmatch(value.strip())
    if not match:
        return None
    digits = match.group(1).upper()
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits


def is_hex6(value) -> bool:
    """True for an already normalised colour such as '#2047FC' (what may be written into CSS)."""
    return isinstance(value, str) and bool(_HEX6.fullmatch(value))


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_color: str) -> float:
    color = normalize_hex(hex_color)
    if color is None:
        raise ValueError(f"not a hex colour: {hex_color!r}")
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio between two colours, from 1.0 to 21.0 (order does not matter)."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)

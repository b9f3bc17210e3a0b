"""Stamps a PDF at download: every page gets a footer line with the member's name, email and the date (WIB), drawn
in Helvetica (a standard PDF font, nothing embedded). Characters outside Latin-1 are replaced, so any name works."""

import io

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

FONT_SIZE = 7


def _pdf_text(text: str) -> bytes:
    """A PDF string literal: Latin-1, with backslashes and parentheses escaped, no control characters."""
    clean = "".join(ch if ch.isprintable() else " " for ch in text)
    raw = clean.encode("latin-1", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _stamp_page(width: float, height: float, text: str) -> PageObject:
    page = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/FStamp"): font})}
    )
    stream = DecodedStreamObject()
    stream.set_data(
        b"q 0.35 0.35 0.35 rg BT /FStamp " + str(FONT_SIZE).encode() + b" Tf 24 14 Td " + _pdf_text(text) + b" Tj ET Q"
    )
    page[NameObject("/Contents")] = stream
    return page


def stamp_pdf(source, text: str) -> bytes:
    """The PDF read from `source` (a binary file) with `text` in the footer of every page."""
    writer = PdfWriter(clone_from=PdfReader(source))
    for page in writer.pages:
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        stamp = _stamp_page(width, height, text)
        page.merge_transformed_page(stamp, Transformation().translate(float(box.left), float(box.bottom)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

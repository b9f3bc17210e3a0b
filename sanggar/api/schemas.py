"""Schemas shared by every app's router."""

from ninja import Schema


class ErrorOut(Schema):
    """Every error: a message for people and, for input errors, messages per field."""

    message: str
    errors: dict[str, list[str]] = {}

"""Xendit Invoice API v2 (PROVIDERS.md §1)."""

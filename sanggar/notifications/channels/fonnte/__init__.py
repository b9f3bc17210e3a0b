"""Fonnte (WhatsApp). See PROVIDERS.md §4."""

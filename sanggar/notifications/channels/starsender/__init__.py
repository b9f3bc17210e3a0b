"""Starsender (WhatsApp, API v3). See PROVIDERS.md §5."""

"""Scalev order API v3 and webhooks (PROVIDERS.md §3)."""

"""Midtrans Snap, HTTP notification and GET status (PROVIDERS.md §2)."""

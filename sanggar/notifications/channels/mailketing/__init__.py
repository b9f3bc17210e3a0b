"""Mailketing (email). See ../../README.md and PROVIDERS.md §7."""

"""Manual bank transfer: instructions from settings, confirmed by an admin. No HTTP, so no client."""

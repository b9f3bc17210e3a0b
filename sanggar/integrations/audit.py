"""The integrations app writes `settings.changed` (registered by audit) with data.what = integration,
payment_options or bank_account; it has no action of its own."""

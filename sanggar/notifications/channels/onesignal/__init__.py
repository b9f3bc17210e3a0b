"""OneSignal (push to browsers and the mobile apps). See PROVIDERS.md §6."""

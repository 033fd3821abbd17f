"""HTTP endpoints that are not pages: health, payment webhooks."""

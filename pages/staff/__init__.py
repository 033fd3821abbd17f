"""The staff console: the live Parent Portal Log, families, registration set-up, settings."""

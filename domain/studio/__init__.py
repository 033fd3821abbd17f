"""The studio's own settings."""

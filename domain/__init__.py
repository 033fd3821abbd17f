"""Kinroll's business: models, services and adapters. Never imports the UI framework."""

"""The parent's screens, behind sign-in."""

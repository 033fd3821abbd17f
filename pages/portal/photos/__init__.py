"""The photo on a child's page, and adding or changing it from the phone (issue 18)."""

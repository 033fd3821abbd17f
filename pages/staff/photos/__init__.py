"""The staff's review of children's photos (issue 18)."""

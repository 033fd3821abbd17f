"""The parent portal's event dates by day, and booking one for a child or the family."""

"""A family's own records: participants, contacts, the dashboard read, and the family file staff open."""

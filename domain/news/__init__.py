"""News: posts staff write for an audience of families, shown on the dashboard between their dates, in the
reader's language when there is a translation, sent by email and text once when they appear (issue 18)."""

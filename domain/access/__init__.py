"""Who may act: actors, signing in (password, one-time code), passwords, sessions, staff accounts, portal access."""

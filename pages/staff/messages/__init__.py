"""Staff writing to families: compose an email or a text, and View Sent Emails."""

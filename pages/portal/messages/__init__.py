"""A family's Messages: the portal's own emails and texts, the studio's, and the registration they submitted."""

"""Staff share files and links with a class, a session, an event or one child, and remove them."""

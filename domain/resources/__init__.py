"""Class resources (issue 18): files and links staff share with the families of a class, a session, an event or
one child."""

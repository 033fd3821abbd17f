"""Pages anyone may open: the start page (sign-in), registration, password reset."""

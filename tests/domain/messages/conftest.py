from tests.domain.classes.conftest import admin, term  # noqa: F401  (the classes' studio set-up)

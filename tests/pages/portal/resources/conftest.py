from tests.domain.classes.conftest import admin  # noqa: F401  (the classes' staff set-up)

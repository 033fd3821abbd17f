from tests.domain.classes.conftest import admin  # noqa: F401  (the same staff set-up as the classes' tests)

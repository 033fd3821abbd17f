from tests.domain.classes.conftest import admin, term  # noqa: F401  (the same studio set-up as the classes' tests)

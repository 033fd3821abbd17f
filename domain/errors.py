"""Named reasons a request cannot be honoured. Messages are gettext ids, translated by whoever shows them."""

from __future__ import annotations

from .i18n import N_


class DomainError(Exception):
    """Base of everything a service refuses on purpose."""


class NotFound(DomainError):
    """No such record for this family. Another family's record looks exactly the same."""


class ValidationFailed(DomainError):
    """Input that cannot be saved, field by field. Nothing was written."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(', '.join(f'{field}: {message}' for field, message in errors.items()))
        self.errors = errors


class SignInFailed(DomainError):
    """Always the same words, whatever the reason, so that nobody can learn which accounts exist."""

    MESSAGE = N_('Invalid user ID / password combination')

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)

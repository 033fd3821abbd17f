"""Named reasons a request cannot be honoured. Messages are gettext ids, translated by whoever shows them."""

from __future__ import annotations

from domain.i18n import N_


class DomainError(Exception):
    """Base of everything a service refuses on purpose. A subclass names its reason once, in MESSAGE."""

    MESSAGE = N_('This could not be done')

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message if message is not None else self.MESSAGE)

    @property
    def message(self) -> str:
        """The gettext id to show (translate it where it is shown)."""
        return str(self.args[0]) if self.args else self.MESSAGE


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

"""What the sign-in gate needs from whoever keeps the accounts."""

from typing import Protocol

from ui.gateway_client import UserSession


class SignInBackend(Protocol):
    """Each method raises a `niluflix.errors.ServiceError` whose message can be shown on the form as it is
    (a wrong password, too many attempts, the service being down)."""

    asks_for_email: bool
    """Whether users sign in with an email besides the password (Supabase) or the password alone."""

    sign_in_intro: str
    """The line under the sign-in form's title: why this browser is asked to sign in."""

    forgotten_password: str
    """What to do about a forgotten password, shown under the sign-in form (Markdown)."""

    def needs_password_setup(self) -> bool:
        """True until the owner has chosen a password: the first remote visit then sets it."""
        ...

    def set_password(self, password: str, *, client: str | None) -> UserSession:
        """Set the first password and sign this browser in; `client` is the browser's address."""
        ...

    def sign_in(self, password: str, *, client: str | None, email: str | None = None) -> UserSession:
        """A session with its token, or an error saying why not."""
        ...

    def current_user(self, token: str) -> UserSession | None:
        """The session `token` stands for; None once it has expired or was signed out."""
        ...

    def sign_out(self, token: str) -> None: ...

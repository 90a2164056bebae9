"""The owner's password, kept by the gateway (`/api/auth`), which the UI reaches as a trusted client."""

from ui.errors import GatewayRejected
from ui.gateway_client import GatewayClient, UserSession


class GatewaySignIn:
    asks_for_email = False
    sign_in_intro = "This browser is on another machine than NiluFlix: sign in to use it."
    forgotten_password = (
        "Forgot the password? On the machine NiluFlix runs on, `niluflix reset-password` clears it "
        "(under Docker Compose: `docker compose exec gateway niluflix reset-password`)."
    )

    def __init__(self, client: GatewayClient) -> None:
        self._client = client

    def needs_password_setup(self) -> bool:
        return not self._client.auth_status().password_set

    def set_password(self, password: str, *, client: str | None) -> UserSession:
        return self._client.set_owner_password(password, client)

    def sign_in(self, password: str, *, client: str | None, email: str | None = None) -> UserSession:
        return self._client.start_session(password, client)

    def current_user(self, token: str) -> UserSession | None:
        try:
            return self._client.session(token)
        except GatewayRejected as exc:
            if exc.status == 401:
                return None
            raise

    def sign_out(self, token: str) -> None:
        self._client.end_session(token)

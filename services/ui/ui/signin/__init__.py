"""Signing in the browsers that are not on this machine, before any page is drawn.

`gate()` (gate.py) runs first in the dashboard: a browser on this machine passes as before; any other
signs in first, and on the very first visit sets the owner's password. Who checks passwords is a
`SignInBackend` (backend.py): today `GatewaySignIn`, the owner's password kept by the gateway; the remote
web UI can pass its own (Supabase's email and password) to `gate()` and keep the rest.
"""

from ui.signin.backend import SignInBackend, UserSession
from ui.signin.gate import account_section, gate, sign_out

__all__ = ["SignInBackend", "UserSession", "account_section", "gate", "sign_out"]

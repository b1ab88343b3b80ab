"""The staff pages' session: the staff member's bearer token (the same token POST
/api/v1/auth/token gives) in a signed cookie, ended after a while without a request.

The cookie is a browser-session cookie (no Max-Age), HttpOnly, SameSite=Lax, path /,
Secure when the public URL is HTTPS. It holds the token and the time of the last
request, signed with the page secret; every staff page answered re-signs it with the new
time, so the session ends ADUAN_SESSION_IDLE seconds after the last request. The token's
own lifetime (ADUAN_TOKEN_TTL) and its revocation (sign-out, a change to the account)
are checked on every request by the same code as the API's (gateway/auth.py).
"""

import time

from itsdangerous import BadData, URLSafeSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "aduan_sesi"
SALT = "aduan.pages.session"


class StaffSessions:
    def __init__(self, secret: str, secure_cookie: bool, idle_seconds: int) -> None:
        self.serializer = URLSafeSerializer(secret, salt=SALT)
        self.secure_cookie = secure_cookie
        self.idle_seconds = idle_seconds

    def token(self, request: Request, now: float | None = None) -> str | None:
        """The session's token, or None: no cookie, a forged one, or idle too long."""
        value = request.cookies.get(COOKIE)
        if not value:
            return None
        try:
            held = self.serializer.loads(value)
        except BadData:
            return None
        if not isinstance(held, dict):
            return None
        token, seen = held.get("token"), held.get("seen")
        if not isinstance(token, str) or not token or not isinstance(seen, int):
            return None
        now = time.time() if now is None else now
        # A cookie dated in the future was not made by this clock: refused as well.
        if not 0 <= now - seen <= self.idle_seconds:
            return None
        return token

    def keep(self, response: Response, token: str, now: float | None = None) -> Response:
        """Starts the session, or restarts its idle time (on every staff page answered)."""
        seen = int(time.time() if now is None else now)
        response.set_cookie(
            COOKIE,
            self.serializer.dumps({"token": token, "seen": seen}),
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.secure_cookie,
        )
        return response

    def end(self, response: Response) -> Response:
        response.delete_cookie(
            COOKIE, path="/", httponly=True, samesite="lax", secure=self.secure_cookie
        )
        return response

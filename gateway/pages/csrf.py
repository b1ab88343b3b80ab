"""CSRF protection for the pages' forms: a signed double-submit token (OWASP's
recommended stateless pattern), signed with itsdangerous.

The browser holds a random value in an HttpOnly, SameSite=Lax cookie; every form
carries a token that is that value signed with the gateway's page secret (and dated).
A POST is taken only when the form's token verifies, is fresh, and names the cookie the
same browser sent: another site can make a browser post, but cannot read the cookie nor
forge a signature for it. The check runs in the page's handler after the form is read
within the upload limits, so a refused form changes nothing.

Libraries considered: starlette-csrf checks a header only (a form without JavaScript
cannot send one); asgi-csrf lets every POST without cookies through, buffers a refused
upload without a limit, and would wrap the JSON API too.
"""

import hmac
import secrets

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "aduan_csrf"
FIELD = "csrf_token"
# A resident may take a while writing a complaint; a token lasts a working day.
MAX_AGE = 12 * 3600
SALT = "aduan.pages.csrf"


class CsrfGuard:
    def __init__(self, secret: str, secure_cookie: bool) -> None:
        self.serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self.secure_cookie = secure_cookie

    def token(self, request: Request) -> str:
        """The token for a form on this page; a browser without a (well-formed) cookie
        gets a new value, set on the response by `finish`."""
        value = request.cookies.get(COOKIE, "")
        if not _well_formed(value):
            # One new value per request, however many forms the page holds.
            value = getattr(request.state, "csrf_new_cookie", None) or secrets.token_urlsafe(32)
            request.state.csrf_new_cookie = value
        return self.serializer.dumps(value)

    def finish(self, request: Request, response: Response) -> Response:
        new = getattr(request.state, "csrf_new_cookie", None)
        if new:
            response.set_cookie(
                COOKIE,
                new,
                max_age=MAX_AGE,
                path="/",
                httponly=True,
                samesite="lax",
                secure=self.secure_cookie,
            )
        return response

    def valid(self, request: Request, token: object) -> bool:
        """Whether a posted form's token belongs to this browser and is fresh."""
        cookie = request.cookies.get(COOKIE, "")
        if not isinstance(token, str) or not token or not _well_formed(cookie):
            return False
        try:
            signed_for = self.serializer.loads(token, max_age=MAX_AGE)
        except BadData:
            return False
        return isinstance(signed_for, str) and hmac.compare_digest(
            signed_for.encode(), cookie.encode()
        )


def _well_formed(value: str) -> bool:
    return 20 <= len(value) <= 100 and value.replace("-", "").replace("_", "").isalnum()

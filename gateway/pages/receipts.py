"""The secret link, handed from the submitting POST to the receipt page once.

The tracking token is given by intake only in the answer to the request that created
the complaint. The POST answers 303 (so a reload does not resubmit) and the receipt
page is a GET: the token travels between them in a short-lived, signed, HttpOnly cookie
scoped to that ticket's receipt page, which the receipt page shows and then deletes. So
the link is shown once, and never sits in a URL of the receipt page.
"""

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "aduan_tanda_terima"
MAX_AGE = 15 * 60
SALT = "aduan.pages.receipt"


class ReceiptHandOver:
    def __init__(self, secret: str, secure_cookie: bool) -> None:
        self.serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self.secure_cookie = secure_cookie

    def give(
        self,
        response: Response,
        ticket: str,
        token: str | None,
        resubmission: bool,
        path: str | None = None,
    ) -> Response:
        """`token` None: intake recognised a complaint sent before (its secret link was
        given to the first request only). `path`: the page that shows it (the residents'
        receipt unless said)."""
        handed = {"ticket": ticket, "token": token, "resubmission": resubmission}
        response.set_cookie(
            COOKIE,
            self.serializer.dumps(handed),
            max_age=MAX_AGE,
            path=path or receipt_path(ticket),
            httponly=True,
            samesite="lax",
            secure=self.secure_cookie,
        )
        return response

    def take(self, request: Request, ticket: str) -> dict | None:
        """{token, resubmission} handed over for this ticket, or None (none, stale,
        forged, or another ticket's)."""
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            handed = self.serializer.loads(raw, max_age=MAX_AGE)
        except BadData:
            return None
        if not isinstance(handed, dict) or handed.get("ticket") != ticket:
            return None
        token = handed.get("token")
        return {
            "token": token if isinstance(token, str) else None,
            "resubmission": handed.get("resubmission") is True,
        }

    def forget(self, response: Response, ticket: str, path: str | None = None) -> Response:
        response.delete_cookie(
            COOKIE,
            path=path or receipt_path(ticket),
            httponly=True,
            samesite="lax",
            secure=self.secure_cookie,
        )
        return response


def receipt_path(ticket: str) -> str:
    return f"/aduan/{ticket}/tanda-terima"

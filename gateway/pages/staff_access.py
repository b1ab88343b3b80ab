"""Staff pages run with the session's token in place of the Authorization header, so
`gateway.auth.require` (and every role rule) decides on them exactly as on the API.

Without a session, or when the token has expired or was revoked (401 from the same
code), the browser is sent to the sign-in page, which brings it back here afterwards.
A 403 stays a 403: the Indonesian "Akses ditolak" page.
"""

import functools
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from gateway.errors import ApiError
from gateway.pages.next_url import to_sign_in
from gateway.pages.session import COOKIE

Handler = Callable[[Request], Awaitable[Response]]


def staff_page(handler: Handler) -> Handler:
    @functools.wraps(handler)
    async def page(request: Request) -> Response:
        sessions = request.app.state.sessions
        token = sessions.token(request)
        if token is None:
            # A cookie that no longer counts is a session that ended: say so.
            ended = "habis" if request.cookies.get(COOKIE) else None
            return sessions.end(to_sign_in(request, ended))
        request.state.staff_token = token
        try:
            response = await handler(request)
        except ApiError as error:
            if error.status == 401:
                return sessions.end(to_sign_in(request, "habis"))
            raise
        return sessions.keep(response, token)

    return page

"""Staff pages run with the session's token in place of the Authorization header, so
`gateway.auth.require` (and every role rule) decides on them exactly as on the API.

Without a session, or when the token has expired or was revoked (401 from the same
code), the browser is sent to the sign-in page, which brings it back here afterwards.
A 403 stays a 403: the Indonesian "Akses ditolak" page.
"""

import functools
from collections.abc import Awaitable, Callable
from typing import TypeVar

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from gateway.auth import require
from gateway.errors import ApiError
from gateway.identity import Role, Staff
from gateway.pages.next_url import to_sign_in
from gateway.pages.routes_public import require_csrf
from gateway.pages.session import COOKIE
from gateway.uploads import read_form

Handler = Callable[[Request], Awaitable[Response]]
T = TypeVar("T")


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


async def posted_by(
    request: Request, max_fields: int, roles: tuple[Role, ...], read: Callable[[FormData], T]
) -> tuple[Staff, T]:
    """A staff form's POST: its CSRF token checked first, then the caller's role by the
    JSON routes' own `require`, then what `read` takes from the form (closed after)."""
    posted = await read_form(request, max_fields)
    try:
        require_csrf(request, posted)
        staff = await require(request, *roles)
        return staff, read(posted)
    finally:
        await posted.close()

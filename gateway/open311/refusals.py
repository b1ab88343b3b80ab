"""Why an Open311 call is refused, as the specification's errors: the HTTP status is
the error's code. A bad request is 400 (the gateway's 422s too), a missing or bad
api_key 403, an unknown jurisdiction, service or request 404; too large (413), of an
unknown media type (415), too many (429) and a backend down (503) keep their status."""

from gateway.errors import ApiError

# The gateway's API statuses that GeoReport v2 names otherwise.
STATUS_FOR_OPEN311 = {422: 400, 401: 403, 409: 400}
# The intake fields a refusal names, as the Open311 parameters that carried them.
PARAMETER_OF_FIELD = {
    "reporter.name": "first_name",
    "reporter.phone": "phone",
    "reporter.email": "email",
    "location.lat": "lat",
    "location.lon": "long",
    "location.address": "address_string",
    "location.kecamatan": "attribute[kecamatan]",
    "location": "lat",
    "media": "media_url",
    "category": "service_code",
}


class Refused(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after: int | None = None


def bad_request(description: str) -> Refused:
    return Refused(400, description)


def not_found(description: str) -> Refused:
    return Refused(404, description)


def from_api_error(error: ApiError) -> Refused:
    """A refusal of the gateway's own checks or of a service, in Open311's terms."""
    status = STATUS_FOR_OPEN311.get(error.status, error.status)
    description = error.message
    field = error.field
    if field in PARAMETER_OF_FIELD and description.startswith(f"{field}:"):
        description = PARAMETER_OF_FIELD[field] + description[len(field) :]
    refused = Refused(status, description)
    refused.retry_after = getattr(error, "retry_after", None)
    return refused

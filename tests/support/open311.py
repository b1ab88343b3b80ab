"""The GeoReport v2 specification's names, written out for the tests to check the
answers against (not taken from the code under test)."""

# The elements of a service request (GET requests, GET requests/{id}), in order.
REQUEST_ELEMENTS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]

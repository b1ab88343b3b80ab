"""GeoReport v2 documents as XML and JSON: the same Python value written both ways.

XML is the specification's, schemaless and without a namespace: a root element, a
dict's keys as child elements, a list's items each as the element its list's name
takes (`services` holds `service`s), true/false in lower case, a missing value as an
empty element. JSON is the Spark convention the specification follows: the root's
list (or object) itself, null for a missing value. Errors are `errors` of `error`
(code: the HTTP status; description: what to change).
"""

import json
import re
from xml.etree.ElementTree import Element, SubElement, tostring

from starlette.responses import Response

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# The element of each list's items.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}
# Characters XML 1.0 cannot carry (C0 controls but tab and line ends, lone surrogates,
# U+FFFE/U+FFFF): a resident's text holding one is still sent, with U+FFFD instead.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def document(fmt: str, root: str, value: list | dict, status: int = 200, headers=None):
    """The answer holding `value` as `root` in the format `fmt` (xml or json)."""
    if fmt == "json":
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
    else:
        body = to_xml(root, value)
    return Response(body, status_code=status, media_type=FORMATS[fmt], headers=headers)


def errors(fmt: str, status: int, descriptions: list[str], headers=None) -> Response:
    listed = [{"code": status, "description": text} for text in descriptions]
    return document(fmt, "errors", listed, status, headers)


def to_xml(root: str, value: list | dict) -> bytes:
    element = Element(root)
    _fill(element, root, value)
    text = tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text).encode("utf-8")


def _fill(element: Element, name: str, value: object) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(SubElement(element, key), key, item)
    elif isinstance(value, list):
        item_name = ITEM_NAMES[name]
        for item in value:
            _fill(SubElement(element, item_name), item_name, item)
    elif value is not None:
        element.text = xml_text(value)


def xml_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("\ufffd", str(value))

"""Schemathesis hooks of tests/it/openapi.rs.

Generated header and cookie values are kept to what RFC 9110 allows in a
field value: no control characters but tab. Others never reach the admin
server's handlers (its HTTP parser answers a bare 400 before routing), so
they are not the API's to document.
"""

import schemathesis


def _valid(value) -> bool:
    text = value if isinstance(value, str) else str(value)
    return all(c == "\t" or (" " <= c and c != "\x7f") for c in text)


@schemathesis.hook
def filter_headers(context, headers):
    return headers is None or all(_valid(v) for v in headers.values())


@schemathesis.hook
def filter_cookies(context, cookies):
    return cookies is None or all(_valid(v) for v in cookies.values())


@schemathesis.serializer("text/csv")
class CsvSerializer:
    """A lookup table body (`PUT /v1/lookups/{table}`) is sent as text."""

    def as_requests(self, context, value):
        return {"data": value.encode("utf-8") if isinstance(value, str) else bytes(str(value), "utf-8")}

    def as_werkzeug(self, context, value):
        return self.as_requests(context, value)

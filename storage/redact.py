"""Connection strings safe to print: passwords and secret-looking options become ``***``."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

_SECRET_PARAMS = re.compile(r"password|secret|token|key$", re.IGNORECASE)


def redact_uri(uri: str) -> str:
    """``uri`` with its password (and secret-looking query options) replaced by ``***``.

    >>> redact_uri("mongodb://reader:s3cr%40t@db1:27017,db2/govnews?authSource=admin")
    'mongodb://reader:***@db1:27017,db2/govnews?authSource=admin'
    >>> redact_uri("mongodb+srv://u:p@cluster.example.net/")
    'mongodb+srv://u:***@cluster.example.net/'
    >>> redact_uri("mongodb://127.0.0.1:27017/")
    'mongodb://127.0.0.1:27017/'
    >>> redact_uri("mongodb://h/?tlsCertificateKeyFilePassword=pw&tls=true")
    'mongodb://h/?tlsCertificateKeyFilePassword=***&tls=true'
    """
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return "***" if "@" in uri else uri
    rest, qmark, query = rest.partition("?")
    at = rest.rfind("@")
    if at >= 0:
        user, colon, _password = rest[:at].partition(":")
        rest = f"{user}:***{rest[at:]}" if colon else rest
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_SECRET_PARAMS.search(k) for k, _ in pairs):
            query = urlencode([(k, "***" if _SECRET_PARAMS.search(k) else v) for k, v in pairs], safe="*:,/")
    return f"{scheme}://{rest}{qmark}{query}"

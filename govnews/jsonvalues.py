"""Stored values as JSON: BSON dates as ISO 8601 strings, everything else as it is.

>>> import datetime as dt
>>> jsonable({"when": dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.timezone.utc), "tags": ("a", 1)})
{'when': '2024-05-01T08:00:00+00:00', 'tags': ['a', 1]}
"""
from __future__ import annotations

import datetime as dt


def jsonable(value):
    """``value`` with dates turned into ISO 8601 strings and tuples into lists, recursively;
    anything else JSON cannot hold becomes its ``str``."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)

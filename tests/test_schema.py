"""Every record clean() produces validates against the published JSON Schema, whatever
the input: fixture articles, non-articles and garbage."""
from pathlib import Path

import jsonschema
import pytest

from cleaners import clean
from cleaners.record import load_schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INPUTS = sorted(FIXTURES.glob("pages/*.html")) + sorted(FIXTURES.glob("tables/*.html"))


@pytest.fixture(scope="module")
def validator():
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_article_records_validate(validator, path):
    record = clean(path.read_bytes(), url=f"http://kjj.example.gov.cn/{path.stem}.html")
    assert record["status"] == "ok"
    validator.validate(record)


@pytest.mark.parametrize("raw", [b"", b"\x89PNG\r\n\x1a\n\x00\x00", b"<html><body></body></html>",
                                 b'{"a": 1}', "<html><body><p>短</p></body></html>".encode()],
                         ids=["empty", "png", "no-text", "json", "too-short"])
def test_failure_records_validate(validator, raw):
    record = clean(raw)
    assert record["status"] != "ok" and record["reason"]
    validator.validate(record)

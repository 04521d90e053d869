"""The JSON report's schema (JSON Schema 2020-12), shipped beside this module.

It states the contract of `formcheck.analysis.results.Report.to_dict` for other tools and for the
tests, which check every report they make against it. It is open: added keys are allowed.
"""

from __future__ import annotations

import json
from importlib.resources import files

SCHEMA_NAME = "report.schema.json"


def schema_text() -> str:
    """The schema as shipped (what `formcheck schema` prints)."""
    return files("formcheck.render").joinpath(SCHEMA_NAME).read_text(encoding="utf-8")


def report_schema() -> dict:
    return json.loads(schema_text())

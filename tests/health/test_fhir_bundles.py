"""Bundles and the CapabilityStatement built from plain values."""
from datetime import datetime, timezone

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from health import fhir_bundles as fb

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)


def test_change_feed_puts_and_tombstones():
    changes = [fb.Entry("Condition", "c1", 2, NOW, {"resourceType": "Condition", "id": "c1",
                                                      "subject": {"reference": "Patient/p"}}),
               fb.Entry("Condition", "c2", 3, NOW, None)]
    bundle = fb.change_feed("https://x/fhir", changes, self_url="https://x/fhir/Patient/p/$changes",
                            next_url="https://x/fhir/Patient/p/$changes?cursor=abc", cursor="abc",
                            has_more=False, now=NOW)
    Bundle.model_validate(bundle)
    put, tombstone = bundle["entry"]
    assert put["request"] == {"method": "PUT", "url": "Condition/c1"} and put["response"]["etag"] == 'W/"2"'
    assert "resource" not in tombstone and tombstone["request"] == {"method": "DELETE", "url": "Condition/c2"}
    assert bundle["meta"]["tag"] == [{"system": fb.FEED_TAG_SYSTEM, "code": "caught-up"}]
    assert bundle["identifier"] == {"system": fb.FEED_CURSOR_SYSTEM, "value": "abc"}


def test_searchset_and_page_urls():
    assert fb.page_url("https://x/fhir", "Condition", [("patient", "p 1"), ("_count", "2")]) == \
        "https://x/fhir/Condition?patient=p+1&_count=2"
    bundle = fb.searchset("https://x/fhir", "Condition", 0, [], {"self": "https://x/fhir/Condition"})
    Bundle.model_validate(bundle)
    assert bundle["total"] == 0 and bundle["type"] == "searchset"


def test_capability_statement_is_valid():
    statement = fb.capability_statement("https://x/fhir", ["Condition"], software_version="1", date="2026-11-23")
    CapabilityStatement.model_validate(statement)

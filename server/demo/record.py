"""The generator of synthetic patient records, as valid FHIR R4 resources.

`generate_record` tells the story of one adult over about twenty years; each section
(history, immunizations, measurements, documents) adds its resources through a
`RecordContext`.
"""
from __future__ import annotations

import random
from datetime import date

from server.clock import utcnow
from server.demo import child_record, documents, history, immunizations, measurements
from server.demo.cast import CareTeam, Clinician, Person
from server.demo.context import GeneratedFile, GeneratedRecord, GeneratedResource, RecordContext

__all__ = ["GeneratedFile", "GeneratedRecord", "GeneratedResource", "generate_record",
           "generate_child_record"]


def generate_record(person: Person, clinicians: list[Clinician] | tuple[Clinician, ...], *,
                    patient_id: str, seed: int = 0, today: date | None = None,
                    files_to_render: int | None = None, resource_count: int | None = None) -> GeneratedRecord:
    """The record of an adult patient: history, treatments, vaccines, measurements, documents.

    `clinicians` must carry their Practitioner ids; `files_to_render` bounds how many
    documents get real PDF/image files (the others keep metadata only); `resource_count`
    (for load tests) trims the record or pads it with home readings to exactly that size.
    """
    ctx = RecordContext(random.Random(seed), person, patient_id, CareTeam.of(clinicians),
                        today or utcnow().date(), files_to_render)
    history.add_patient(ctx)
    history.add_history(ctx)
    immunizations.add_adult_immunizations(ctx)
    measurements.add_vital_series(ctx)
    documents.add_documents(ctx)
    if resource_count is not None:
        _fit_to_size(ctx, resource_count)
    return GeneratedRecord(patient_id, ctx.resources, ctx.files)


def generate_child_record(child: Person, clinicians: list[Clinician] | tuple[Clinician, ...], *,
                          patient_id: str, seed: int = 0, today: date | None = None) -> GeneratedRecord:
    """The smaller record of a minor: birth, childhood vaccines, growth, a few documents."""
    ctx = RecordContext(random.Random(seed), child, patient_id, CareTeam.of(clinicians),
                        today or utcnow().date())
    child_record.add_child_record(ctx)
    return GeneratedRecord(patient_id, ctx.resources, ctx.files)


def _fit_to_size(ctx: RecordContext, count: int) -> None:
    missing = count - len(ctx.resources)
    if missing > 0:
        measurements.add_home_readings(ctx, missing)
        return
    # Keep the Patient, the documents that have files, and an even sample of the rest, so a
    # small record still has some of each kind; then drop the files whose documents went.
    patient, rest = ctx.resources[0], ctx.resources[1:]
    with_file = [i for i, g in enumerate(rest) if g.binary_ids][:max(0, count - 1)]
    others = sorted(set(range(len(rest))) - set(with_file))
    kept = sorted(with_file + ctx.rng.sample(others, max(0, count - 1 - len(with_file))))
    ctx.resources = [patient, *(rest[i] for i in kept)][:max(count, 0)]
    referenced = {binary_id for g in ctx.resources for binary_id in g.binary_ids}
    ctx.files = [f for f in ctx.files if f.binary_id in referenced]


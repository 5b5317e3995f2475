"""Every word the profile screens build from a code (a section, a field, a choice, a
detail, an error) exists in French and in English: tests/app/test_i18n.py sees only
literal keys."""
from __future__ import annotations

import re
from pathlib import Path

from app.i18n import EN, FR
from health.profile_forms import ALLERGY_KINDS, CRITICALITIES, RELATIONSHIPS
from screens.profile_form import FIELDS
from storage.profile import ProfileSection

HEALTH = Path(__file__).resolve().parents[2] / "health"


def missing(keys) -> set[str]:
    return {key for key in keys if key not in FR or key not in EN}


def test_each_section_has_its_name_and_its_add_and_edit_titles():
    assert missing(f"profile.{kind}.{section.value}" for section in ProfileSection
                   for kind in ("section", "add", "edit")) == set()


def test_each_form_field_and_choice_has_a_label():
    labels = {f"profile.field.{section}.{spec.name}" for section, specs in FIELDS.items() for spec in specs}
    assert missing(labels | {"profile.field.measurements.systolic"}) == set()  # the value, for blood pressure
    assert missing({*(f"profile.choice.kind.{k}" for k in ALLERGY_KINDS),
                    *(f"profile.choice.criticality.{c}" for c in CRITICALITIES),
                    *(f"profile.detail.relationship.{r}" for r in RELATIONSHIPS)}) == set()


def test_every_error_code_of_the_forms_has_a_sentence():
    source = "".join(path.read_text(encoding="utf-8") for path in HEALTH.glob("profile_*.py"))
    codes = set(re.findall(r"""fail\([^,()]+,\s*["']([a-z_]+)["']""", source))
    codes |= set(re.findall(r"""["']required["'] if not [^ ]+ else ["']([a-z_]+)["']""", source))
    assert {"required", "date_future", "out_of_range", "contact_needed"} <= codes
    assert missing(f"profile.error.{code}" for code in codes) == set()


def test_every_detail_kind_has_words():
    source = (HEALTH / "profile_display.py").read_text(encoding="utf-8")
    plain = set(re.findall(r"""Detail\(["']([a-z.-]+)["']""", source))
    plain |= set(re.findall(r"""_(?:text|date)_detail\(["']([a-z.-]+)["']""", source))
    coded = {*(f"allergy.{k}" for k in (*ALLERGY_KINDS, "biologic")),
             *(f"criticality.{c}" for c in CRITICALITIES),
             *(f"status.{s}" for s in ("active", "recurrence", "relapse", "inactive", "remission", "resolved")),
             "treatment.active", "treatment.stopped", "role.trusted-person", "role.emergency-contact"}
    assert {"since", "dosage", "phone", "period", "file"} <= plain
    assert missing(f"profile.detail.{kind}" for kind in plain | coded) == set()

"""Read rules (services.access_rules) as SQL conditions on the `resources` table.

Each test mirrors its Python `admits` exactly, NULLs included, so a search filtered by a
rule returns what single reads of the same rows would allow, no more and no less.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, not_, or_, true

from health.visibility import HIDDEN, HIDDEN_FROM_REPRESENTATIVE, WITHHELD_FROM_PATIENT
from server.models import Resource
from server.services.access_rules import AllOf, Always, AnyOf, AuthorIs, CategoryIn, CodeIn, Labelled, Not, Rule

_LABEL_COLUMNS = {HIDDEN: Resource.hidden, WITHHELD_FROM_PATIENT: Resource.withheld_from_patient,
                  HIDDEN_FROM_REPRESENTATIVE: Resource.hidden_from_representative}


def rule_condition(rule: Rule) -> ColumnElement[bool]:
    if isinstance(rule, Always):
        return true() if rule.value else false()
    if isinstance(rule, CodeIn):
        return and_(Resource.code.is_not(None), Resource.code.in_(sorted(rule.codes)))
    if isinstance(rule, CategoryIn):
        return and_(Resource.category.is_not(None), Resource.category.in_(sorted(rule.categories)))
    if isinstance(rule, AuthorIs):
        return and_(Resource.author_account_id.is_not(None), Resource.author_account_id == rule.account_id)
    if isinstance(rule, Labelled):
        return _LABEL_COLUMNS[rule.label].is_(True)
    if isinstance(rule, Not):
        return not_(rule_condition(rule.rule))
    if isinstance(rule, AllOf):
        return and_(*(rule_condition(part) for part in rule.rules))
    if isinstance(rule, AnyOf):
        return or_(*(rule_condition(part) for part in rule.rules))
    raise TypeError(f"not a read rule: {rule!r}")

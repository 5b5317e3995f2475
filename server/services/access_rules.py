"""Read rules: which resources of one type a principal may read, as a small boolean expression.

The access policy builds one rule per (principal, compartment, resource type). The same
rule decides a single read (`admits`, in Python) and filters a search or a change-feed
query (`services.record_search.rule_condition` compiles it to SQL), so a search never
returns what a read would refuse, and counts and paging stay exact.

Every test is null-safe: a resource with no code is not "in" any set of codes, and
`Not(CodeIn(...))` holds for it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Union


class Facets(Protocol):
    """What a rule looks at on a resource (services.access.Target has these)."""

    code: str | None
    category: str | None
    author_account_id: str | None
    labels: frozenset[str]


@dataclass(frozen=True)
class Always:
    value: bool

    def admits(self, facets: Facets) -> bool:
        return self.value


@dataclass(frozen=True)
class CodeIn:
    """The resource's main code (document type, observation code…) is one of `codes`."""

    codes: frozenset[str]

    def admits(self, facets: Facets) -> bool:
        return facets.code is not None and facets.code in self.codes


@dataclass(frozen=True)
class CategoryIn:
    categories: frozenset[str]

    def admits(self, facets: Facets) -> bool:
        return facets.category is not None and facets.category in self.categories


@dataclass(frozen=True)
class AuthorIs:
    account_id: str

    def admits(self, facets: Facets) -> bool:
        return facets.author_account_id == self.account_id


@dataclass(frozen=True)
class Labelled:
    """The resource carries this visibility label (health.visibility)."""

    label: str

    def admits(self, facets: Facets) -> bool:
        return self.label in facets.labels


@dataclass(frozen=True)
class Not:
    rule: "Rule"

    def admits(self, facets: Facets) -> bool:
        return not self.rule.admits(facets)


@dataclass(frozen=True)
class AllOf:
    rules: tuple["Rule", ...]

    def admits(self, facets: Facets) -> bool:
        return all(rule.admits(facets) for rule in self.rules)


@dataclass(frozen=True)
class AnyOf:
    rules: tuple["Rule", ...]

    def admits(self, facets: Facets) -> bool:
        return any(rule.admits(facets) for rule in self.rules)


Rule = Union[Always, CodeIn, CategoryIn, AuthorIs, Labelled, Not, AllOf, AnyOf]
EVERYTHING = Always(True)
NOTHING = Always(False)


def all_of(*rules: Rule) -> Rule:
    """The conjunction, simplified: constants folded, so a rule that can never pass is NOTHING."""
    kept = [rule for rule in rules if rule != EVERYTHING]
    if NOTHING in kept:
        return NOTHING
    if not kept:
        return EVERYTHING
    return kept[0] if len(kept) == 1 else AllOf(tuple(kept))


def any_of(*rules: Rule) -> Rule:
    kept = [rule for rule in rules if rule != NOTHING]
    if EVERYTHING in kept:
        return EVERYTHING
    if not kept:
        return NOTHING
    return kept[0] if len(kept) == 1 else AnyOf(tuple(kept))


def none_labelled(*labels: str) -> Rule:
    return all_of(*(Not(Labelled(label)) for label in labels))

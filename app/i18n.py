"""The app's words in French (default) and English (`app/words/`), `Translator.t(key)` to read.

The language is a setting of the encrypted cache once it is unlocked; before that (welcome,
sign-in, unlock) the app speaks French, the default of the French patient space.
"""
from __future__ import annotations

import importlib
import pkgutil

import app.words

from health.codes import DOCUMENT_CATEGORIES

DEFAULT_LANGUAGE = "fr"
LANGUAGES = ("fr", "en")

def _merge() -> tuple[dict[str, str], dict[str, str]]:
    french: dict[str, str] = {}
    english: dict[str, str] = {}
    for module in sorted(pkgutil.iter_modules(app.words.__path__), key=lambda found: found.name):
        name = module.name
        words = importlib.import_module(f"app.words.{name}").WORDS
        for key, (in_french, in_english) in words.items():
            if key in french:
                raise ValueError(f"the word {key!r} is defined twice (app.words.{name})")
            french[key], english[key] = in_french, in_english
    return french, english


FR, EN = _merge()
STRINGS: dict[str, dict[str, str]] = {"fr": FR, "en": EN}


class Translator:
    """The current language and its lookup; screens call `t("key", name=value)`."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language if language in STRINGS else DEFAULT_LANGUAGE

    def t(self, key: str, **values) -> str:
        text = STRINGS[self.language].get(key) or FR.get(key) or key
        return text.format(**values) if values else text

    def document_category(self, code: str) -> str:
        category = DOCUMENT_CATEGORIES.get(code) or DOCUMENT_CATEGORIES["other"]
        return category.label_fr if self.language == "fr" else category.label_en

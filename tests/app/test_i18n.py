"""Every word the screens ask for exists in French and in English."""
from __future__ import annotations

import re
from pathlib import Path

from app.i18n import EN, FR, Translator

REPOSITORY = Path(__file__).resolve().parents[2]
# ctx.t("key"), self.t("key"), t("key") and translator.t("key") with a literal key.
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z_.-]+)["']""")


def keys_used_in_code() -> set[str]:
    used = set()
    for folder in ("app", "screens"):
        for path in (REPOSITORY / folder).rglob("*.py"):
            used |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    return used


def test_french_and_english_have_the_same_keys():
    assert set(FR) == set(EN)


def test_every_key_used_by_the_code_exists():
    used = keys_used_in_code()
    assert len(used) > 50
    assert used - set(FR) == set()


def test_placeholders_match_between_languages():
    for key in FR:
        assert set(re.findall(r"{(\w+)}", FR[key])) == set(re.findall(r"{(\w+)}", EN[key])), key


def test_french_by_default_english_on_request():
    assert Translator().t("nav.home") == "Accueil"
    assert Translator("en").t("sync.pending", count=2) == "2 change(s) to send"
    assert Translator("de").language == "fr"


def test_document_categories_in_both_languages():
    assert Translator("fr").document_category("lab-result") == "Résultats d'analyses"
    assert Translator("en").document_category("unknown-code") == "Other"

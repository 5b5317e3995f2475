"""Health documents.

Each key is the text in French, then in English.
"""

WORDS: dict[str, tuple[str, str]] = {
    "documents.title": ("Documents de santé", "Health documents"),
    "documents.total": ("{count} document(s)", "{count} document(s)"),
}

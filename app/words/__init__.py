"""The app's words, one module per area of the app, so that each screen brings its own.

Each module holds `WORDS = {"key": ("French", "English")}`; `app.i18n` merges them.
"""

"""Synthetic data: the demo (one rich patient, her child, a few professionals) and bulk seeding.

Everything here is invented: the people, identifiers, documents and measurements are
generated from a seeded random source, so the same seed always gives the same record.
"""

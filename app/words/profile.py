"""The medical profile.

Each key is the text in French, then in English.
"""

WORDS: dict[str, tuple[str, str]] = {
    "profile.title": ("Profil médical", "Medical profile"),
    "profile.section.conditions": ("Antécédents", "Medical history"),
    "profile.section.operations": ("Opérations", "Operations"),
    "profile.section.hospital-stays": ("Hospitalisations", "Hospital stays"),
    "profile.section.allergies": ("Allergies", "Allergies"),
    "profile.section.treatments": ("Traitements", "Treatments"),
    "profile.section.vaccinations": ("Vaccinations", "Vaccinations"),
    "profile.section.measurements": ("Mesures", "Measurements"),
    "profile.section.blood-group": ("Groupe sanguin", "Blood group"),
    "profile.section.advance-directives": ("Directives anticipées", "Advance directives"),
    "profile.section.contacts": ("Contacts", "Contacts"),
}

"""Synthetic people for bulk seeding: French names, towns, and INS numbers nobody holds.

Seeded INS numbers use department 99 (born abroad) and a "country" derived from the seed,
so they never meet the demo's or a real person's, and one (seed, index) always gives the
same person: seeding twice finds them already there.
"""
from __future__ import annotations

import random
import unicodedata
from dataclasses import replace
from datetime import date

from health.identifiers import make_ins, make_rpps
from server.demo.cast import DEMO_CLINICIANS, Clinician, Person

_GIVEN_FEMALE = ("Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Emma", "Anne", "Nathalie",
                 "Isabelle", "Sylvie", "Catherine", "Marie", "Aurélie", "Sandrine", "Céline", "Laura")
_GIVEN_MALE = ("Lucas", "Hugo", "Louis", "Nathan", "Thomas", "Nicolas", "Julien", "Pierre", "Philippe",
               "Alain", "Michel", "Stéphane", "Karim", "Mehdi", "Antoine", "Maxime", "Olivier", "Éric")
_FAMILY = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
           "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
           "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
           "François", "Martinez", "Legrand", "Nguyen", "Benali", "Haddad", "Rousseau", "Blanc")
_TOWNS = (("69003", "Lyon"), ("75011", "Paris"), ("13005", "Marseille"), ("31000", "Toulouse"),
          ("44000", "Nantes"), ("67000", "Strasbourg"), ("33000", "Bordeaux"), ("59000", "Lille"),
          ("35000", "Rennes"), ("34000", "Montpellier"), ("21000", "Dijon"), ("63000", "Clermont-Ferrand"))
_STREETS = ("rue de la République", "avenue Jean-Jaurès", "rue Victor-Hugo", "boulevard Pasteur",
            "rue des Écoles", "place de la Mairie", "rue du Moulin", "chemin des Vignes")


def seeded_person(seed: int, index: int) -> Person:
    rng = random.Random(f"person-{seed}-{index}")
    gender = rng.choice(("female", "male"))
    given = rng.choice(_GIVEN_FEMALE if gender == "female" else _GIVEN_MALE)
    family = rng.choice(_FAMILY)
    month = 1 + (index // 999) % 12
    born = date(rng.randint(1940, 2004), month, rng.randint(1, 28))
    country = 100 + (seed * 7 + index // (999 * 12)) % 900
    number = f"{1 if gender == 'male' else 2}{born.year % 100:02d}{month:02d}99{country:03d}{index % 999 + 1:03d}"
    postal_code, city = rng.choice(_TOWNS)
    return Person(given=given, family=family, birth_date=born, gender=gender, ins=make_ins(number),
                  email=f"{_ascii(given)}.{_ascii(family)}.{seed}-{index}@seed.carnet.example",
                  phone=f"+336{rng.randint(10_000_000, 99_999_999)}",
                  address_line=f"{rng.randint(1, 120)} {rng.choice(_STREETS)}", postal_code=postal_code, city=city)


def seeded_clinicians(seed: int) -> list[Clinician]:
    """The care team every seeded patient shares: the demo's clinicians under seed-specific RPPS."""
    return [replace(c, rpps=make_rpps(f"108{seed % 1000:03d}{n:04d}"),
                    email=c.email.replace("@demo.", f"+seed{seed}@seed."))
            for n, c in enumerate(DEMO_CLINICIANS, start=1)]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "-")

"""The French prose of the demo's letters and reports, by situation.

Each function returns the paragraphs of one document; small random choices keep a
twenty-year record from repeating itself word for word.
"""
from __future__ import annotations

import random
from datetime import date

from server.demo.fhir_parts import french_date


def gp_consultation(rng: random.Random, hypertensive: bool, weight: float) -> list[str]:
    reason = rng.choice([
        "Consultation de suivi. La patiente signale une gêne respiratoire à l'effort au changement de saison.",
        "Consultation de renouvellement du traitement de fond. Pas d'événement intercurrent depuis la dernière visite.",
        "Consultation pour une toux sèche depuis dix jours, sans fièvre, dans un contexte de rhinite allergique.",
        "Bilan annuel. Pas de plainte particulière, activité physique régulière (marche, vélo).",
    ])
    findings = (f"Examen clinique : poids {weight:.1f} kg, auscultation cardio-pulmonaire normale, "
                "pas de sibilants. Débit expiratoire de pointe à 420 L/min (85 % de la valeur théorique).")
    plan = ("Tension artérielle contrôlée sous amlodipine ; poursuite du traitement et de l'automesure "
            "tensionnelle à domicile." if hypertensive else
            "Asthme contrôlé selon les critères GINA. Poursuite du traitement de fond, éviction des allergènes.")
    return [reason, findings, plan, "Prochain rendez-vous dans six mois, plus tôt en cas de besoin."]


def pneumology_report(rng: random.Random, day: date, fev1: int) -> list[str]:
    return [
        "Chère consœur, je revois en consultation votre patiente suivie pour un asthme allergique "
        "(acariens, pollens de graminées) connu depuis l'enfance.",
        rng.choice([
            "Elle décrit moins de deux prises de salbutamol par semaine et aucun réveil nocturne.",
            "Elle rapporte une exacerbation au printemps, résolutive sous corticothérapie orale courte.",
            "L'asthme est bien contrôlé ; la technique d'inhalation est correcte.",
        ]),
        f"Les épreuves fonctionnelles respiratoires du {french_date(day)} retrouvent un VEMS à {fev1} % de "
        "la valeur théorique, sans trouble ventilatoire obstructif significatif après bronchodilatateur.",
        "Je propose de poursuivre l'association salmétérol/fluticasone, de maintenir la vaccination "
        "antigrippale annuelle et de la revoir dans deux ans.",
    ]


def cardiology_report(systolic: int, diastolic: int) -> list[str]:
    return [
        "Patiente adressée pour avis sur une hypertension artérielle récemment découverte.",
        f"Mesure au cabinet : {systolic}/{diastolic} mmHg ; automesure concordante. ECG : rythme sinusal, "
        "pas d'hypertrophie ventriculaire gauche. Échocardiographie : fraction d'éjection conservée (62 %).",
        "Bilan étiologique négatif. Hypertension artérielle essentielle de grade 1. "
        "Je confirme l'introduction d'amlodipine 5 mg et des mesures hygiéno-diététiques (réduction du sel).",
    ]


def physiotherapy_report(reason: str, sessions: int) -> list[str]:
    return [
        f"Bilan de fin de prise en charge en masso-kinésithérapie pour {reason}.",
        f"{sessions} séances réalisées : renforcement musculaire, travail de mobilité et conseils d'hygiène posturale.",
        "Évolution favorable, reprise des activités habituelles. Poursuite des exercices à domicile conseillée.",
    ]


def summary_note(conditions: list[str], treatments: list[str], allergies: list[str]) -> list[str]:
    return [
        "Synthèse médicale établie par le médecin traitant.",
        "Antécédents : " + ("; ".join(conditions) or "aucun") + ".",
        "Traitements en cours : " + ("; ".join(treatments) or "aucun") + ".",
        "Allergies : " + ("; ".join(allergies) or "aucune connue") + ".",
    ]


def operative_report() -> list[str]:
    return [
        "Indication : syndrome appendiculaire aigu, échographie en faveur d'une appendicite non compliquée.",
        "Intervention : appendicectomie par cœlioscopie sous anesthésie générale. Open-cœlioscopie ombilicale, "
        "deux trocarts de 5 mm. Appendice inflammatoire sans perforation, ligature de la base, extraction en sac.",
        "Pas de drainage. Fermeture plan par plan. Durée : 45 minutes. Pas d'incident peropératoire.",
        "Antibioprophylaxie adaptée à l'allergie à la pénicilline (clindamycine).",
    ]


def discharge_letter(reason: str, stay_days: int, advice: str) -> list[str]:
    return [
        f"Votre patiente a été hospitalisée {stay_days} jours pour {reason}.",
        "Les suites ont été simples, sans fièvre, avec une reprise rapide de l'alimentation et du transit.",
        f"Conseils de sortie : {advice}",
        "Traitement de sortie : paracétamol 1 g jusqu'à 4 fois par jour si douleur. "
        "Pas d'anti-inflammatoire en raison de l'asthme.",
    ]


def emergency_summary() -> list[str]:
    return [
        "Motif d'admission aux urgences : chute sur la main gauche en hyperextension lors d'une sortie à ski.",
        "Radiographie : fracture extra-articulaire de l'extrémité distale du radius gauche, peu déplacée.",
        "Prise en charge : réduction sous anesthésie locale, immobilisation par manchette plâtrée "
        "pendant six semaines.",
        "Contrôle radiographique à J8 puis à six semaines. Rééducation à prévoir à l'ablation du plâtre.",
    ]


def delivery_report(day: date, weight_g: int) -> list[str]:
    return [
        f"Accouchement le {french_date(day)} à 39 semaines d'aménorrhée, par voie basse, sous analgésie péridurale.",
        f"Naissance d'un garçon de {weight_g} g, Apgar 10/10. Délivrance complète, pertes sanguines normales.",
        "Groupe sanguin maternel A Rhésus positif, recherche d'agglutinines irrégulières négative.",
        "Suites de couches simples. Allaitement maternel. Rééducation périnéale prescrite.",
    ]


def imaging_report(exam: str, conclusion: str) -> list[str]:
    return [
        f"Examen : {exam}.",
        "Technique : examen réalisé selon le protocole standard, comparaison avec les examens antérieurs disponibles.",
        f"Conclusion : {conclusion}",
    ]


def cervical_screening(normal: bool) -> list[str]:
    return [
        "Dépistage organisé du cancer du col de l'utérus : prélèvement cervico-utérin en milieu liquide.",
        "Résultat : absence de lésion intraépithéliale ou de malignité." if normal else
        "Résultat : test HPV à haut risque négatif.",
        "Prochain dépistage recommandé selon le calendrier en vigueur.",
    ]


def advance_directives(person_name: str, trusted_person: str) -> list[str]:
    return [
        f"Je soussignée {person_name}, en pleine possession de mes facultés, rédige mes directives anticipées "
        "pour le cas où je ne serais plus en mesure d'exprimer ma volonté.",
        "Si je suis atteinte d'une maladie grave et incurable en phase avancée ou terminale, je refuse "
        "l'acharnement thérapeutique : je ne souhaite pas être maintenue artificiellement en vie "
        "(ventilation mécanique, dialyse, réanimation cardio-respiratoire) sans espoir raisonnable d'amélioration.",
        "Je demande que mes douleurs et ma souffrance soient soulagées, même si cela doit abréger ma vie, "
        "et je souhaite bénéficier d'une sédation profonde et continue si ma souffrance est réfractaire.",
        f"J'ai désigné {trusted_person} comme personne de confiance ; il a connaissance de ces directives.",
        "J'accepte le don de mes organes et de mes tissus.",
    ]

"""The emergency card, unlocked and on a locked device; what it shows and how it is shared.

Each key is the text in French, then in English.
"""

WORDS: dict[str, tuple[str, str]] = {
    "emergency.title": ("Carte d'urgence", "Emergency card"),
    "emergency.born": ("Né(e) le {date}", "Born on {date}"),
    "emergency.blood_group": ("Groupe sanguin", "Blood group"),
    "emergency.unknown_blood_group": ("Non renseigné", "Not recorded"),
    "emergency.allergies": ("Allergies", "Allergies"),
    "emergency.treatments": ("Traitements en cours", "Current treatments"),
    "emergency.conditions": ("Maladies et antécédents actifs", "Active conditions"),
    "emergency.advance_directives": ("Directives anticipées", "Advance directives"),
    "emergency.contacts": ("Personnes à prévenir", "People to call"),
    "emergency.none": ("Aucune information enregistrée.", "Nothing recorded."),
    "emergency.since": ("depuis le {date}", "since {date}"),
    "emergency.call": ("Appeler {name}", "Call {name}"),
    "emergency.severe": ("Allergie grave", "Severe allergy"),
    # on a locked device
    "emergency.open_locked": ("Carte d'urgence (sans code)", "Emergency card (no code needed)"),
    "emergency.locked_banner": ("Ces informations sont lisibles sans code sur cet appareil, par choix de "
                                "son propriétaire.",
                                "This information can be read without a code on this device, as its owner "
                                "chose."),
    "emergency.locked_missing": ("Aucune carte d'urgence n'est lisible sans code sur cet appareil.",
                                 "No emergency card can be read without a code on this device."),
    "emergency.unlock": ("Déverrouiller", "Unlock"),
    # the patient's choice
    "emergency.lock_screen": ("Sur un appareil verrouillé", "On a locked device"),
    "emergency.lock_screen_switch": ("Afficher ma carte sans déverrouiller", "Show my card without unlocking"),
    "emergency.lock_screen_explain": (
        "Comme la fiche médicale d'un téléphone : un secouriste pourra lire ces informations sur cet "
        "appareil sans votre code. Ne cochez que ce qui aide à vous soigner en urgence.",
        "Like a phone's medical ID: a first responder can read this on this device without your code. "
        "Only tick what helps to treat you in an emergency."),
    "emergency.lock_screen_saved": ("Votre choix est enregistré.", "Your choice is saved."),
    "emergency.lock_screen_off": ("Votre carte n'est plus lisible sans code.",
                                  "Your card can no longer be read without your code."),
    "emergency.field.allergies": ("Allergies", "Allergies"),
    "emergency.field.treatments": ("Traitements", "Treatments"),
    "emergency.field.conditions": ("Maladies", "Conditions"),
    "emergency.field.blood-group": ("Groupe sanguin", "Blood group"),
    "emergency.field.advance-directives": ("Directives anticipées", "Advance directives"),
    "emergency.field.contacts": ("Personnes à prévenir", "People to call"),
    # sharing
    "emergency.share": ("Partager ou enregistrer", "Share or save"),
    "emergency.share_explain": (
        "Une image ou un PDF avec un QR code lisible hors connexion, ou le résumé patient international "
        "(IPS, format FHIR) pour un hôpital, en France ou à l'étranger.",
        "An image or a PDF with a QR code readable offline, or the International Patient Summary "
        "(IPS, FHIR format) for a hospital, in France or abroad."),
    "emergency.share_image": ("Image", "Image"),
    "emergency.share_pdf": ("PDF", "PDF"),
    "emergency.share_ips": ("Résumé IPS", "IPS summary"),
    "emergency.saved": ("Fichier prêt : {name}", "File ready: {name}"),
}

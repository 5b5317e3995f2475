"""The Privacy screen: access history, choices, hidden documents, export, closing the space.

Each key is the text in French, then in English. The history's sentences and the rules
behind an access are built in health (health.access_sentences, health.access_reasons).
"""

WORDS: dict[str, tuple[str, str]] = {
    "privacy.title": ("Confidentialité", "Privacy"),
    "privacy.part.history": ("Historique", "History"),
    "privacy.part.choices": ("Mes choix", "My choices"),
    "privacy.part.data": ("Mes données", "My data"),
    "privacy.back": ("Retour à la confidentialité", "Back to privacy"),
    # -- the access history
    "privacy.history_explain": ("Chaque accès à votre dossier par un professionnel, un représentant ou une "
                                "application. Touchez une ligne pour savoir pourquoi il a été permis.",
                                "Every access to your record by a professional, a representative or an app. Tap a "
                                "line to see why it was allowed."),
    "privacy.history_empty": ("Personne n'a encore ouvert votre dossier.", "Nobody has opened your record yet."),
    "privacy.history_none": ("Aucun accès ne correspond à ces filtres.", "No access matches these filters."),
    "privacy.more": ("Voir plus", "Show more"),
    "privacy.first_access": ("Première fois", "First time"),
    "privacy.kind.normal": ("Accès à votre dossier", "Access to your record"),
    "privacy.kind.emergency": ("Accès en urgence", "Emergency access"),
    "privacy.kind.refused": ("Accès refusé", "Access refused"),
    "privacy.filter.person": ("Qui", "Who"),
    "privacy.filter.person_named": ("Qui : {value}", "Who: {value}"),
    "privacy.filter.everyone": ("Tout le monde", "Everyone"),
    "privacy.filter.all_days": ("Toutes les dates", "Any date"),
    "privacy.filter.days_from": ("Du {since} au {until}", "From {since} to {until}"),
    "privacy.filter.days_help": ("Période", "Period"),
    "privacy.filter.emergency": ("Accès en urgence seulement", "Emergency accesses only"),
    "privacy.filter.clear": ("Effacer les filtres", "Clear filters"),
    "privacy.filters": ("Filtrer", "Filter"),
    "privacy.filter.show": ("Filtres ({count})", "Filters ({count})"),
    "privacy.filter.hide": ("Masquer les filtres", "Hide the filters"),
    "privacy.at": ("À {times}", "At {times}"),
    "privacy.between": ("De {first} à {last}", "From {first} to {last}"),
    # -- one access
    "privacy.access_title": ("Accès à votre dossier", "Access to your record"),
    "privacy.access_gone": ("Cet accès n'est plus sur cet appareil.", "This access is no longer on this device."),
    "privacy.why_allowed": ("Pourquoi cet accès a été permis", "Why this access was allowed"),
    "privacy.why_refused": ("Pourquoi cet accès a été refusé", "Why this access was refused"),
    "privacy.moments": ("Ce qui s'est passé", "What happened"),
    "privacy.items": ("Éléments concernés", "Items concerned"),
    "privacy.items_more": ("… et {count} autre(s)", "… and {count} more"),
    "privacy.item_gone": ("Élément qui n'est pas sur cet appareil (supprimé depuis, ou jamais partagé avec vous)",
                          "Item not on this device (deleted since, or never shared with you)"),
    "privacy.item_by_them": ("écrit par cette personne", "written by this person"),
    "privacy.item_hidden": ("masqué", "hidden"),
    "privacy.all_of_them": ("Tous les accès de {name}", "All of {name}'s accesses"),
    "privacy.block_name": ("Bloquer {name}", "Block {name}"),
    "privacy.unblock_name": ("Débloquer {name}", "Unblock {name}"),
    "privacy.regular_doctor_not_blocked": ("C'est votre médecin traitant : choisissez-en un autre (ou aucun) "
                                           "avant de le bloquer.",
                                           "This is your regular doctor: choose another one (or none) before "
                                           "blocking them."),
    # -- choices
    "privacy.choices_stale": ("{why} Vos choix affichés datent du {date}.", "{why} Your choices shown date from {date}."),
    "privacy.choices_unknown": ("{why} Vos choix s'afficheront une fois connecté.",
                                "{why} Your choices will show once you are online."),
    "privacy.offline_changes": ("Hors connexion : vous pouvez tout consulter, mais les changements demandent une "
                                "connexion.",
                                "Offline: you can read everything, but changes need a connection."),
    "privacy.emergency_title": ("Accès en urgence", "Emergency access"),
    "privacy.emergency_switch": ("Autoriser l'accès en urgence", "Allow emergency access"),
    "privacy.emergency_explain": ("En cas d'urgence (vous êtes inconscient·e, par exemple), un professionnel qui ne "
                                  "vous connaît pas peut ouvrir votre dossier (« bris de glace ») en disant "
                                  "pourquoi. Il voit alors tout votre dossier pendant quatre heures, sauf les "
                                  "documents masqués, et vous en êtes prévenu·e. Si vous le refusez, personne ne "
                                  "pourra le faire.",
                                  "In an emergency (if you are unconscious, say), a professional who does not know "
                                  "you may open your record (“break the glass”), saying why. They then see your "
                                  "whole record for four hours, except hidden documents, and you are told. If you "
                                  "refuse it, nobody can."),
    "privacy.emergency_on": ("Accès en urgence autorisé.", "Emergency access allowed."),
    "privacy.emergency_off": ("Accès en urgence refusé.", "Emergency access refused."),
    "privacy.regular_doctor_title": ("Médecin traitant", "Regular doctor"),
    "privacy.regular_doctor_is": ("Votre médecin traitant : {name}", "Your regular doctor: {name}"),
    "privacy.regular_doctor_none": ("Vous n'avez pas déclaré de médecin traitant.",
                                    "You have not named a regular doctor."),
    "privacy.regular_doctor_choose": ("Choisir mon médecin traitant", "Choose my regular doctor"),
    "privacy.regular_doctor_nobody": ("Aucun", "None"),
    "privacy.regular_doctor_explain": ("Votre médecin traitant voit aussi les documents que vous avez masqués. Vous "
                                       "le choisissez parmi les médecins qui ont déjà ouvert votre dossier.",
                                       "Your regular doctor also sees the documents you hid. You choose them among "
                                       "the doctors who have opened your record."),
    "privacy.regular_doctor_saved": ("Médecin traitant enregistré.", "Regular doctor saved."),
    "privacy.blocked_title": ("Professionnels bloqués", "Blocked professionals"),
    "privacy.blocked_explain": ("Un professionnel bloqué ne peut plus rien lire ni écrire dans votre dossier, dès "
                                "sa prochaine demande.",
                                "A blocked professional can no longer read or write anything in your record, from "
                                "their next request."),
    "privacy.blocked_none": ("Vous n'avez bloqué personne.", "You have not blocked anyone."),
    "privacy.blocked_since": ("Bloqué depuis le {date}", "Blocked since {date}"),
    "privacy.block_someone": ("Bloquer un professionnel", "Block a professional"),
    "privacy.search": ("Nom ou profession", "Name or profession"),
    "privacy.search_explain": ("Les professionnels qui ont déjà ouvert votre dossier.",
                               "The professionals who have opened your record."),
    "privacy.search_none": ("Personne à bloquer ne correspond.", "Nobody to block matches."),
    "privacy.seen": ("{count} accès, le dernier le {date}", "{count} access(es), the last on {date}"),
    "privacy.block": ("Bloquer", "Block"),
    "privacy.unblock": ("Débloquer", "Unblock"),
    "privacy.block_title": ("Bloquer {name} ?", "Block {name}?"),
    "privacy.block_text": ("{name} ne pourra plus rien lire ni écrire dans votre dossier, dès sa prochaine demande. "
                           "Vous pourrez le ou la débloquer à tout moment.",
                           "{name} will no longer read or write anything in your record, from their next request. "
                           "You can unblock them at any time."),
    "privacy.unblock_title": ("Débloquer {name} ?", "Unblock {name}?"),
    "privacy.unblock_text": ("{name} pourra de nouveau ouvrir votre dossier, dans les limites de sa profession.",
                             "{name} will again be able to open your record, within the limits of their profession."),
    "privacy.blocked_done": ("{name} est bloqué·e.", "{name} is blocked."),
    "privacy.unblocked_done": ("{name} est débloqué·e.", "{name} is unblocked."),
    "privacy.mail_title": ("E-mails", "E-mails"),
    "privacy.mail_first_access": ("M'écrire quand un professionnel ouvre mon dossier pour la première fois",
                                  "E-mail me when a professional opens my record for the first time"),
    "privacy.mail_new_document": ("M'écrire quand un document est ajouté", "E-mail me when a document is added"),
    "privacy.mail_emergency": ("M'écrire à chaque accès en urgence (toujours)",
                               "E-mail me at every emergency access (always)"),
    "privacy.mail_saved": ("Préférence enregistrée.", "Preference saved."),
    # -- hidden documents
    "privacy.hidden_title": ("Documents masqués", "Hidden documents"),
    "privacy.hidden_explain": ("Seuls leur auteur et votre médecin traitant voient les documents que vous masquez.",
                               "Only their author and your regular doctor see the documents you hide."),
    "privacy.hidden_none": ("Vous n'avez masqué aucun document.", "You have not hidden any document."),
    "privacy.unhide": ("Ne plus masquer", "Show again"),
    "privacy.unhidden": ("« {title} » n'est plus masqué (envoyé à la prochaine synchronisation).",
                         "“{title}” is no longer hidden (sent at the next sync)."),
    "privacy.untitled": ("Document sans titre", "Untitled document"),
    # -- export and closing
    "privacy.export_title": ("Télécharger mon dossier", "Download my record"),
    "privacy.export_explain": ("Une archive ZIP avec tout votre dossier (au format FHIR), chacun de vos documents et "
                               "un résumé en PDF. Elle peut être volumineuse si vous avez beaucoup de documents : "
                               "préférez le Wi-Fi.",
                               "A ZIP archive with your whole record (in FHIR format), each of your documents and a "
                               "PDF summary. It may be large if you have many documents: prefer Wi-Fi."),
    "privacy.export": ("Télécharger l'archive", "Download the archive"),
    "privacy.export_starting": ("Préparation de l'archive…", "Preparing the archive…"),
    "privacy.export_progress": ("{size} Mo téléchargés…", "{size} MB downloaded…"),
    "privacy.export_done": ("Archive enregistrée.", "Archive saved."),
    "privacy.close_title": ("Fermer mon espace", "Close my space"),
    "privacy.close_explain": ("Votre espace est fermé et vous êtes déconnecté·e partout. Vos données sont archivées "
                              "pendant la durée légale de conservation, puis effacées ; elles ne seront plus "
                              "consultables. Téléchargez d'abord ce que vous voulez garder.",
                              "Your space is closed and you are signed out everywhere. Your data is archived for the "
                              "legal retention period, then erased; you can no longer read it. Download what you "
                              "want to keep first."),
    "privacy.close": ("Fermer mon espace…", "Close my space…"),
    "privacy.close_warning": ("C'est définitif : vous ne pourrez plus ouvrir votre espace, et les copies sur vos "
                              "appareils seront effacées. Téléchargez d'abord votre dossier si vous voulez le garder.",
                              "This is final: you will no longer open your space, and the copies on your devices "
                              "will be erased. Download your record first if you want to keep it."),
    "privacy.close_exported": ("J'ai téléchargé ce que je veux garder", "I have downloaded what I want to keep"),
    "privacy.close_password": ("Votre mot de passe", "Your password"),
    "privacy.close_needs_password": ("Saisissez votre mot de passe pour confirmer.",
                                     "Enter your password to confirm."),
    "privacy.close_needs_tick": ("Cochez la case pour confirmer que vous avez gardé ce qu'il vous faut.",
                                 "Tick the box to confirm you kept what you need."),
    "privacy.close_confirm": ("Fermer définitivement", "Close for good"),
    "privacy.closed": ("Votre espace est fermé. Ses données seront effacées après le {date}.",
                       "Your space is closed. Its data will be erased after {date}."),
    # -- refusals (app.privacy_service.PrivacyRefusal)
    "privacy.refused.offline": ("Hors connexion : ce changement demande une connexion. Rien n'a été modifié.",
                                "Offline: this change needs a connection. Nothing was changed."),
    "privacy.refused.regular-doctor": ("C'est votre médecin traitant : choisissez-en un autre (ou aucun) avant de le "
                                       "bloquer.",
                                       "This is your regular doctor: choose another one (or none) before blocking "
                                       "them."),
    "privacy.refused.not-a-professional": ("Seul un professionnel de santé peut être bloqué ou choisi ici.",
                                           "Only a health professional can be blocked or chosen here."),
    "privacy.refused.wrong-password": ("Mot de passe incorrect.", "Wrong password."),
    "privacy.refused.too-large": ("L'archive est trop volumineuse pour cet appareil : téléchargez-la depuis "
                                  "l'application sur ordinateur.",
                                  "The archive is too large for this device: download it from the desktop app."),
    "privacy.refused.gone": ("Ce document n'est plus sur cet appareil.", "This document is no longer on this device."),
}

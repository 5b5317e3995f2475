"""The app's words in French (default) and English: one dict per language, `t(key)` to read.

The language is a setting of the encrypted cache once it is unlocked; before that (welcome,
sign-in, unlock) the app speaks French, the default of the French patient space.
"""
from __future__ import annotations

from health.codes import DOCUMENT_CATEGORIES

DEFAULT_LANGUAGE = "fr"
LANGUAGES = ("fr", "en")

FR: dict[str, str] = {
    "app.title": "Carnet",
    "app.tagline": "Votre espace santé, même hors connexion.",
    # welcome
    "welcome.sign_in": "Me connecter",
    "welcome.activate": "Activer mon espace",
    "welcome.unlock": "Déverrouiller",
    "welcome.server": "Serveur : {server}",
    # sign-in
    "sign_in.title": "Connexion",
    "sign_in.identifier": "Identifiant (INS)",
    "sign_in.password": "Mot de passe",
    "sign_in.channel": "Recevoir le code par",
    "sign_in.channel.email": "E-mail",
    "sign_in.channel.sms": "SMS",
    "sign_in.send_code": "Recevoir un code",
    "sign_in.code_sent": "Un code a été envoyé ({channel}{sent_to}).",
    "sign_in.code": "Code à usage unique",
    "sign_in.verify": "Valider le code",
    "common.back": "Retour",
    "common.cancel": "Annuler",
    "common.confirm": "Confirmer",
    "common.working": "Un instant…",
    "common.required": "Remplissez tous les champs.",
    # activation
    "activation.title": "Activer mon espace",
    "activation.ins": "Numéro INS (carte Vitale)",
    "activation.provisional_code": "Code provisoire",
    "activation.password": "Nouveau mot de passe",
    "activation.email": "Adresse e-mail",
    "activation.start": "Activer",
    "activation.code": "Code de confirmation reçu par e-mail",
    "activation.confirm": "Confirmer mon adresse",
    "activation.done": "Votre espace est activé. Connectez-vous.",
    "activation.oppose": "Je refuse la création de mon espace",
    "activation.oppose_title": "Refuser la création de votre espace ?",
    "activation.oppose_text": "Votre espace et son contenu seront fermés. Vous pourrez changer d'avis "
                              "plus tard auprès de votre caisse d'assurance maladie.",
    "activation.opposed": "Votre opposition est enregistrée : votre espace ne sera pas créé.",
    # PIN
    "pin.title": "Choisissez un code pour cet appareil",
    "pin.explain_pin": "Ce code (6 caractères ou plus) ouvre votre dossier sur cet appareil, même sans réseau.",
    "pin.explain_passphrase": "Cet appareil n'a pas de coffre sécurisé : choisissez une phrase secrète "
                              "de 12 caractères ou plus. Elle ouvre votre dossier, même sans réseau.",
    "pin.first": "Code",
    "pin.first_passphrase": "Phrase secrète",
    "pin.second": "Confirmez",
    "pin.mismatch": "Les deux saisies sont différentes.",
    "pin.create": "Enregistrer",
    "pin.weak": "Ce code ne convient pas : il faut au moins {minimum} caractères, pas tous identiques.",
    # unlock
    "unlock.title": "Déverrouiller Carnet",
    "unlock.pin": "Code de l'appareil",
    "unlock.button": "Déverrouiller",
    "unlock.wrong": "Code incorrect. Encore {remaining} essai(s) avant l'effacement des données de cet appareil.",
    "unlock.wiped": "Trop d'essais : les données de cet appareil ont été effacées. Reconnectez-vous pour les retrouver.",
    "unlock.forgot": "Code oublié ? Se reconnecter",
    "unlock.attempts_left": "Attention : encore {remaining} essai(s) avant l'effacement des données de cet appareil.",
    # shell
    "nav.home": "Accueil",
    "nav.profile": "Profil",
    "nav.documents": "Documents",
    "nav.settings": "Réglages",
    "sync.never": "Jamais synchronisé",
    "sync.last_today": "Synchronisé à {time}",
    "sync.last_day": "Synchronisé le {date} à {time}",
    "sync.syncing": "Synchronisation…",
    "sync.pending": "{count} modification(s) à envoyer",
    "sync.offline": "Hors connexion",
    "sync.retrying": "Serveur indisponible, nouvel essai bientôt",
    "sync.needs_sign_in": "Session expirée : reconnectez-vous pour synchroniser",
    "sync.now": "Synchroniser",
    "sync.done": "Dossier à jour.",
    # home
    "home.hello": "Bonjour {name}",
    "home.emergency": "Carte d'urgence",
    "home.emergency_hint": "Allergies, traitements, groupe sanguin, personnes à prévenir",
    "home.new_documents": "Nouveaux documents",
    "home.results": "Derniers résultats",
    "home.upcoming": "À venir",
    "home.nothing": "Rien pour l'instant.",
    "home.reminder": "Rappel",
    # profile / documents
    "profile.title": "Profil médical",
    "documents.title": "Documents de santé",
    "documents.total": "{count} document(s)",
    "profile.section.conditions": "Antécédents",
    "profile.section.operations": "Opérations",
    "profile.section.hospital-stays": "Hospitalisations",
    "profile.section.allergies": "Allergies",
    "profile.section.treatments": "Traitements",
    "profile.section.vaccinations": "Vaccinations",
    "profile.section.measurements": "Mesures",
    "profile.section.blood-group": "Groupe sanguin",
    "profile.section.advance-directives": "Directives anticipées",
    "profile.section.contacts": "Contacts",
    # settings
    "settings.title": "Réglages",
    "settings.language": "Langue",
    "settings.theme": "Thème",
    "settings.theme.light": "Clair",
    "settings.theme.dark": "Sombre",
    "settings.sign_out": "Me déconnecter",
    "settings.sign_out_text": "Vous serez déconnecté et la copie de votre dossier sur cet appareil sera effacée.",
    "settings.forget": "Oublier cet appareil",
    "settings.forget_text": "La copie de votre dossier sur cet appareil sera effacée, même sans réseau.",
    "settings.signed_out": "Vous êtes déconnecté.",
    # errors in plain words
    "error.offline": "Pas de connexion : vérifiez votre réseau puis réessayez.",
    "error.server_busy": "Le service est momentanément indisponible. Réessayez dans un instant.",
    "error.wrong_credentials": "Identifiant ou mot de passe incorrect, ou espace non activé.",
    "error.wrong_code": "Code incorrect.",
    "error.wrong_code_left": "Code incorrect : encore {left} essai(s).",
    "error.expired_code": "Ce code a expiré : demandez-en un nouveau.",
    "error.used_code": "Ce code a déjà servi : demandez-en un nouveau.",
    "error.too_many_codes": "Trop de codes erronés : demandez-en un nouveau.",
    "error.too_many_tries": "Trop d'essais. Patientez quelques minutes avant de réessayer.",
    "error.unknown_challenge": "Cette tentative de connexion a expiré : recommencez.",
    "error.activation_refused": "Ce numéro INS et ce code provisoire ne correspondent à aucun espace à activer.",
    "error.session_expired": "Votre session a expiré : reconnectez-vous.",
    "error.not_patient": "Cette application est réservée aux patients : connectez-vous avec votre INS.",
    "error.bad_answer": "Le serveur a répondu de façon inattendue. Réessayez plus tard.",
    "error.storage": "Les données de cet appareil sont illisibles : reconnectez-vous.",
    "error.unexpected": "Une erreur inattendue est survenue.",
}

EN: dict[str, str] = {
    "app.title": "Carnet",
    "app.tagline": "Your health space, even offline.",
    "welcome.sign_in": "Sign in",
    "welcome.activate": "Activate my space",
    "welcome.unlock": "Unlock",
    "welcome.server": "Server: {server}",
    "sign_in.title": "Sign in",
    "sign_in.identifier": "Identifier (INS)",
    "sign_in.password": "Password",
    "sign_in.channel": "Send the code by",
    "sign_in.channel.email": "E-mail",
    "sign_in.channel.sms": "Text message",
    "sign_in.send_code": "Send me a code",
    "sign_in.code_sent": "A code was sent ({channel}{sent_to}).",
    "sign_in.code": "One-time code",
    "sign_in.verify": "Check the code",
    "common.back": "Back",
    "common.cancel": "Cancel",
    "common.confirm": "Confirm",
    "common.working": "One moment…",
    "common.required": "Fill in every field.",
    "activation.title": "Activate my space",
    "activation.ins": "INS number (Vitale card)",
    "activation.provisional_code": "Provisional code",
    "activation.password": "New password",
    "activation.email": "E-mail address",
    "activation.start": "Activate",
    "activation.code": "Confirmation code received by e-mail",
    "activation.confirm": "Confirm my address",
    "activation.done": "Your space is active. Sign in.",
    "activation.oppose": "I refuse the creation of my space",
    "activation.oppose_title": "Refuse the creation of your space?",
    "activation.oppose_text": "Your space and its content will be closed. You can change your mind "
                              "later with your health insurance fund.",
    "activation.opposed": "Your refusal is recorded: your space will not be created.",
    "pin.title": "Choose a code for this device",
    "pin.explain_pin": "This code (6 characters or more) opens your record on this device, even offline.",
    "pin.explain_passphrase": "This device has no secure storage: choose a passphrase of 12 characters "
                              "or more. It opens your record, even offline.",
    "pin.first": "Code",
    "pin.first_passphrase": "Passphrase",
    "pin.second": "Confirm",
    "pin.mismatch": "The two entries differ.",
    "pin.create": "Save",
    "pin.weak": "This code cannot be used: it needs at least {minimum} characters, not all the same.",
    "unlock.title": "Unlock Carnet",
    "unlock.pin": "Device code",
    "unlock.button": "Unlock",
    "unlock.wrong": "Wrong code. {remaining} attempt(s) left before this device's data is erased.",
    "unlock.wiped": "Too many attempts: this device's data was erased. Sign in again to get it back.",
    "unlock.forgot": "Forgot the code? Sign in again",
    "unlock.attempts_left": "Careful: {remaining} attempt(s) left before this device's data is erased.",
    "nav.home": "Home",
    "nav.profile": "Profile",
    "nav.documents": "Documents",
    "nav.settings": "Settings",
    "sync.never": "Never synced",
    "sync.last_today": "Synced at {time}",
    "sync.last_day": "Synced on {date} at {time}",
    "sync.syncing": "Syncing…",
    "sync.pending": "{count} change(s) to send",
    "sync.offline": "Offline",
    "sync.retrying": "Server unavailable, retrying soon",
    "sync.needs_sign_in": "Session expired: sign in again to sync",
    "sync.now": "Sync now",
    "sync.done": "Record up to date.",
    "home.hello": "Hello {name}",
    "home.emergency": "Emergency card",
    "home.emergency_hint": "Allergies, treatments, blood group, people to call",
    "home.new_documents": "New documents",
    "home.results": "Latest results",
    "home.upcoming": "Coming up",
    "home.nothing": "Nothing yet.",
    "home.reminder": "Reminder",
    "profile.title": "Medical profile",
    "documents.title": "Health documents",
    "documents.total": "{count} document(s)",
    "profile.section.conditions": "Medical history",
    "profile.section.operations": "Operations",
    "profile.section.hospital-stays": "Hospital stays",
    "profile.section.allergies": "Allergies",
    "profile.section.treatments": "Treatments",
    "profile.section.vaccinations": "Vaccinations",
    "profile.section.measurements": "Measurements",
    "profile.section.blood-group": "Blood group",
    "profile.section.advance-directives": "Advance directives",
    "profile.section.contacts": "Contacts",
    "settings.title": "Settings",
    "settings.language": "Language",
    "settings.theme": "Theme",
    "settings.theme.light": "Light",
    "settings.theme.dark": "Dark",
    "settings.sign_out": "Sign out",
    "settings.sign_out_text": "You will be signed out and the copy of your record on this device erased.",
    "settings.forget": "Forget this device",
    "settings.forget_text": "The copy of your record on this device will be erased, even offline.",
    "settings.signed_out": "You are signed out.",
    "error.offline": "No connection: check your network and try again.",
    "error.server_busy": "The service is unavailable for a moment. Try again shortly.",
    "error.wrong_credentials": "Wrong identifier or password, or the space is not active.",
    "error.wrong_code": "Wrong code.",
    "error.wrong_code_left": "Wrong code: {left} attempt(s) left.",
    "error.expired_code": "This code has expired: ask for a new one.",
    "error.used_code": "This code was already used: ask for a new one.",
    "error.too_many_codes": "Too many wrong codes: ask for a new one.",
    "error.too_many_tries": "Too many attempts. Wait a few minutes before trying again.",
    "error.unknown_challenge": "This sign-in attempt has expired: start again.",
    "error.activation_refused": "This INS and provisional code do not match a space waiting for activation.",
    "error.session_expired": "Your session has expired: sign in again.",
    "error.not_patient": "This app is for patients: sign in with your INS.",
    "error.bad_answer": "The server answered unexpectedly. Try again later.",
    "error.storage": "This device's data cannot be read: sign in again.",
    "error.unexpected": "Something unexpected went wrong.",
}

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


_current = Translator()


def set_language(language: str) -> None:
    _current.language = language if language in STRINGS else DEFAULT_LANGUAGE


def language() -> str:
    return _current.language


def t(key: str, **values) -> str:
    """The text of `key` in the current language (French when missing in English)."""
    return _current.t(key, **values)

"""Errors in plain words (`app.plain_words` chooses which).

Each key is the text in French, then in English.
"""

WORDS: dict[str, tuple[str, str]] = {
    "error.offline": ("Pas de connexion : vérifiez votre réseau puis réessayez.",
        "No connection: check your network and try again."),
    "error.server_busy": ("Le service est momentanément indisponible. Réessayez dans un instant.",
        "The service is unavailable for a moment. Try again shortly."),
    "error.wrong_credentials": ("Identifiant ou mot de passe incorrect, ou espace non activé.",
        "Wrong identifier or password, or the space is not active."),
    "error.wrong_code": ("Code incorrect.", "Wrong code."),
    "error.wrong_code_left": ("Code incorrect : encore {left} essai(s).",
        "Wrong code: {left} attempt(s) left."),
    "error.expired_code": ("Ce code a expiré : demandez-en un nouveau.",
        "This code has expired: ask for a new one."),
    "error.used_code": ("Ce code a déjà servi : demandez-en un nouveau.",
        "This code was already used: ask for a new one."),
    "error.too_many_codes": ("Trop de codes erronés : demandez-en un nouveau.",
        "Too many wrong codes: ask for a new one."),
    "error.too_many_tries": ("Trop d'essais. Patientez quelques minutes avant de réessayer.",
        "Too many attempts. Wait a few minutes before trying again."),
    "error.unknown_challenge": ("Cette tentative de connexion a expiré : recommencez.",
        "This sign-in attempt has expired: start again."),
    "error.activation_refused": ("Ce numéro INS et ce code provisoire ne correspondent à aucun espace à activer.",
        "This INS and provisional code do not match a space waiting for activation."),
    "error.session_expired": ("Votre session a expiré : reconnectez-vous.",
        "Your session has expired: sign in again."),
    "error.not_patient": ("Cette application est réservée aux patients : connectez-vous avec votre INS.",
        "This app is for patients: sign in with your INS."),
    "error.bad_answer": ("Le serveur a répondu de façon inattendue. Réessayez plus tard.",
        "The server answered unexpectedly. Try again later."),
    "error.storage": ("Les données de cet appareil sont illisibles : reconnectez-vous.",
        "This device's data cannot be read: sign in again."),
    "error.unexpected": ("Une erreur inattendue est survenue.", "Something unexpected went wrong."),
}

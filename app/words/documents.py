"""Health documents: the list, its filters, one document, adding one.

Each key is the text in French, then in English.
"""

_MONTHS = (("janvier", "January"), ("février", "February"), ("mars", "March"), ("avril", "April"),
           ("mai", "May"), ("juin", "June"), ("juillet", "July"), ("août", "August"),
           ("septembre", "September"), ("octobre", "October"), ("novembre", "November"),
           ("décembre", "December"))

WORDS: dict[str, tuple[str, str]] = {
    "documents.title": ("Documents de santé", "Health documents"),
    "documents.total": ("{count} document(s)", "{count} document(s)"),
    "documents.count": ("{count} document(s)", "{count} document(s)"),
    "documents.count_more": ("{count} documents affichés, d'autres suivent", "{count} documents shown, more below"),
    "documents.more": ("Afficher plus de documents", "Show more documents"),
    "documents.add": ("Ajouter", "Add"),
    "documents.search": ("Rechercher", "Search"),
    "documents.search_hint": ("Mots du titre ou de la description", "Words of the title or description"),
    "documents.filters": ("Filtres", "Filters"),
    "documents.filters_count": ("Filtres ({count})", "Filters ({count})"),
    "documents.category": ("Catégorie", "Category"),
    "documents.all_categories": ("Toutes les catégories", "All categories"),
    "documents.all_categories_count": ("Toutes ({count})", "All ({count})"),
    "documents.author": ("Auteur", "Author"),
    "documents.named_choice": ("{label} : {value}", "{label}: {value}"),
    "documents.all_authors": ("Tous les auteurs", "All authors"),
    "documents.since": ("Depuis le : {date}", "From: {date}"),
    "documents.until": ("Jusqu'au : {date}", "Until: {date}"),
    "documents.since_help": ("Depuis le", "From"),
    "documents.until_help": ("Jusqu'au", "Until"),
    "documents.any_date": ("toute date", "any date"),
    "documents.clear_date": ("Effacer cette date", "Clear this date"),
    "documents.clear_filters": ("Effacer les filtres", "Clear the filters"),
    "documents.clear_all": ("Effacer la recherche et les filtres", "Clear the search and filters"),
    "documents.empty": ("Aucun document pour l'instant. Ceux que vos professionnels de santé déposent "
                        "apparaîtront ici ; vous pouvez aussi ajouter les vôtres.",
                        "No documents yet. Those your health professionals add will appear here; "
                        "you can also add your own."),
    "documents.empty_filtered": ("Aucun document ne correspond à cette recherche ou à ces filtres.",
                                 "No document matches this search or these filters."),
    "documents.no_date": ("Sans date", "No date"),
    "documents.hidden_badge": ("Masqué aux professionnels", "Hidden from professionals"),
    "documents.not_fetched": ("Pas encore sur cet appareil", "Not on this device yet"),
    # One document
    "documents.back": ("Documents", "Documents"),
    "documents.type": ("Type", "Type"),
    "documents.date": ("Date", "Date"),
    "documents.description": ("Description", "Description"),
    "documents.format": ("Format", "Format"),
    "documents.size": ("Taille", "Size"),
    "documents.size_kb": ("{size} ko", "{size} kB"),
    "documents.size_mb": ("{size} Mo", "{size} MB"),
    "documents.format_image": ("Image {kind}", "{kind} image"),
    "documents.format_text": ("Texte", "Text"),
    "documents.format_unknown": ("Inconnu", "Unknown"),
    "documents.file": ("Le document", "The document"),
    "documents.opening": ("Ouverture du document…", "Opening the document…"),
    "documents.downloading": ("Téléchargement du document…", "Downloading the document…"),
    "documents.rendering": ("Préparation de la page…", "Preparing the page…"),
    "documents.retry": ("Réessayer", "Try again"),
    "documents.no_file": ("Ce document n'a pas de fichier.", "This document has no file."),
    "documents.cannot_show": ("Ce type de fichier ne peut pas être affiché dans l'application : "
                              "enregistrez-en une copie pour l'ouvrir avec une autre application.",
                              "This kind of file cannot be shown in the app: save a copy to open it "
                              "with another application."),
    "documents.page_of": ("Page {page} sur {count}", "Page {page} of {count}"),
    "documents.previous_page": ("Page précédente", "Previous page"),
    "documents.next_page": ("Page suivante", "Next page"),
    "documents.hide": ("Masquer aux professionnels", "Hide from professionals"),
    "documents.unhide": ("Ne plus masquer", "Stop hiding"),
    "documents.hide_explained": ("Un document masqué n'est plus visible des professionnels de santé, sauf de "
                                 "son auteur et de votre médecin traitant. Vous le voyez toujours, et vous "
                                 "pouvez l'afficher de nouveau à tout moment.",
                                 "A hidden document is no longer visible to health professionals, except its "
                                 "author and your regular doctor. You still see it, and you can show it again "
                                 "at any time."),
    "documents.hidden_done": ("Document masqué aux professionnels.", "Document hidden from professionals."),
    "documents.unhidden_done": ("Le document est de nouveau visible des professionnels.",
                                "The document is visible to professionals again."),
    "documents.save_copy": ("Enregistrer une copie", "Save a copy"),
    "documents.saved": ("Copie enregistrée.", "Copy saved."),
    "documents.saved_web": ("Le téléchargement de la copie a commencé.", "The copy is downloading."),
    "documents.delete": ("Supprimer", "Delete"),
    "documents.delete_title": ("Supprimer ce document ?", "Delete this document?"),
    "documents.delete_text": ("Il sera supprimé de votre espace santé, sur cet appareil et sur le serveur. "
                              "Cette action est définitive.",
                              "It will be deleted from your health space, on this device and on the server. "
                              "This cannot be undone."),
    "documents.deleted": ("Document supprimé.", "Document deleted."),
    "documents.from_professional": ("Déposé par un professionnel de santé : vous pouvez le masquer, pas le "
                                    "supprimer.",
                                    "Added by a health professional: you can hide it, not delete it."),
    # Adding one
    "documents.add_heading": ("Ajouter un document", "Add a document"),
    "documents.add_intro": ("Un PDF ou une photo (JPEG, PNG, WebP), 20 Mo au plus. Les photos sont redressées, "
                            "allégées et débarrassées de leurs métadonnées (position GPS, appareil).",
                            "A PDF or a photo (JPEG, PNG, WebP), 20 MB at most. Photos are turned upright, "
                            "made lighter and stripped of their metadata (GPS position, camera)."),
    "documents.add_choose": ("Choisir un fichier", "Choose a file"),
    "documents.add_photo": ("Prendre ou choisir une photo", "Take or choose a photo"),
    "documents.add_preparing": ("Préparation du fichier…", "Preparing the file…"),
    "documents.add_thumbnail": ("Aperçu du fichier choisi", "Preview of the chosen file"),
    "documents.add_pdf_ready": ("PDF · {pages} page(s) · {size}", "PDF · {pages} page(s) · {size}"),
    "documents.add_image_ready": ("Photo · {width} × {height} pixels · {size} · métadonnées retirées",
                                  "Photo · {width} × {height} pixels · {size} · metadata removed"),
    "documents.add_title_field": ("Titre", "Title"),
    "documents.add_description": ("Description (facultative)", "Description (optional)"),
    "documents.add_date": ("Date du document : {date}", "Document date: {date}"),
    "documents.add_date_help": ("Date du document", "Document date"),
    "documents.add_save": ("Enregistrer", "Save"),
    "documents.added": ("Document ajouté. Il sera envoyé à votre espace santé dès que possible.",
                        "Document added. It will be sent to your health space as soon as possible."),
    **{f"documents.month.{number}": names for number, names in enumerate(_MONTHS, start=1)},
}

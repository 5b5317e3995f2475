"""The `carnet` command: serve, demo, app, codes, seed and the platform's admin commands.

Imports happen inside commands so `carnet --help` stays fast and each command loads
only the layer it drives.
"""
from __future__ import annotations

import typer

main = typer.Typer(help="Carnet, a personal health space.", no_args_is_help=True, add_completion=False)

DATABASE_HELP = "SQLAlchemy URL (sqlite:///… or postgresql://…); SQLite under the user's data folder by default."


def _settings(database_url: str | None, demo: bool = False, **overrides):
    from server.config import Settings, default_data_dir

    values: dict = dict(overrides)
    if database_url:
        values["database_url"] = database_url
    elif demo:
        values["database_url"] = f"sqlite:///{default_data_dir() / 'carnet-demo.db'}"
    if demo:
        values["environment"] = "demo"
    return Settings(**values)


@main.command()
def serve(
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL", help=DATABASE_HELP),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Run the server (migrations run on start-up)."""
    import uvicorn

    from server.app import create_app

    uvicorn.run(create_app(_settings(database_url)), host=host, port=port, log_level="info")



@main.command()
def demo(
    database_url: str = typer.Option(None, help="Where the demo lives; its own SQLite file by default."),
    port: int = typer.Option(8000, help="Port of the server."),
    app_port: int = typer.Option(8550, help="Port of the app's browser view."),
    load_only: bool = typer.Option(False, "--load-only", help="Load the demo data and exit without serving."),
    no_app: bool = typer.Option(False, "--no-app", help="Serve the server only, without the patient app."),
) -> None:
    """Serve the demo (a rich patient record, a child, professionals and a space to activate)
    and open the patient app on it."""
    import uvicorn

    from server.app import create_app
    from server.demo.load import load_demo

    settings = _settings(database_url, demo=True, public_base_url=f"http://127.0.0.1:{port}")
    app = create_app(settings)
    typer.echo("Loading the demo data (first run only)…")
    accounts = load_demo(app.state.session_factory, settings)
    for line in accounts.summary_lines():
        typer.echo(line)
    typer.echo(f"\nServer: http://127.0.0.1:{port}  (FHIR API at /fhir, API documentation at /docs)")
    typer.echo("Codes sent by e-mail or SMS: `carnet codes --demo` in another terminal.")
    if load_only:
        return
    if no_app:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
        return
    server = _serve_in_background(app, port)
    typer.echo(f"App: http://127.0.0.1:{app_port}  (stop with Ctrl+C)")
    try:
        _run_app(f"http://127.0.0.1:{port}", app_port, web=True)
    finally:
        server.should_exit = True


def _serve_in_background(app, port: int):
    """uvicorn in a daemon thread, returned once it accepts connections."""
    import threading
    import time

    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, name="carnet-demo-server", daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("The demo server did not start.")
        time.sleep(0.05)
    return server


def _run_app(server_url: str, port: int, *, web: bool) -> None:
    from app.main import port_is_free, run_app
    from sync.errors import InsecureServerUrl
    from sync.http import check_server_url

    try:
        check_server_url(server_url)
    except InsecureServerUrl as refused:
        raise typer.BadParameter(refused.message) from None
    if not port_is_free(port):
        raise typer.BadParameter(f"Port {port} is already in use: choose another with --port.")
    run_app(server_url, port=port, web=web)


@main.command("app")
def patient_app(
    server: str = typer.Option("http://127.0.0.1:8000", "--server", help="The Carnet server's address."),
    port: int = typer.Option(8550, help="Port of the browser view (when the desktop client is not used)."),
    web: bool = typer.Option(False, "--web", help="Use the browser view even where the desktop client exists."),
) -> None:
    """The patient app: a desktop window, or the browser view on 127.0.0.1 where there is no desktop client."""
    from app.main import desktop_client_available

    if web or not desktop_client_available():
        typer.echo(f"App: http://127.0.0.1:{port}  (server {server}; stop with Ctrl+C)")
    _run_app(server, port, web=web)


@main.command()
def codes(
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL", help=DATABASE_HELP),
    demo: bool = typer.Option(False, "--demo", help="Read the demo's delivery box."),
    limit: int = typer.Option(10, help="How many messages to show."),
) -> None:
    """The development delivery box: the last activation and one-time codes the server sent."""
    from server.admin import list_codes

    messages = list_codes(_settings(database_url, demo=demo), limit)
    if not messages:
        typer.echo("No code sent yet.")
    for message in messages:
        when = message.created_at.strftime("%Y-%m-%d %H:%M:%S")
        typer.echo(f"{when}  {message.channel:<5}  {message.recipient:<32}  {message.code or '-':<10}  "
                   f"{message.subject}")


@main.command()
def seed(
    patients: int = typer.Option(10, min=1, help="How many patients to create."),
    resources_per_patient: int = typer.Option(200, min=1, help="Resources in each record."),
    files_per_patient: int = typer.Option(0, min=0, help="Document files in each record."),
    random_seed: int = typer.Option(0, "--seed", help="Same seed, same data."),
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL", help=DATABASE_HELP),
) -> None:
    """Synthetic patients for load tests and benchmarks."""
    from server.db import make_engine, make_session_factory, migrate
    from server.demo.seed import seed as seed_patients

    settings = _settings(database_url)
    engine = make_engine(settings.database_url)
    migrate(engine)
    report = seed_patients(make_session_factory(engine), settings, patients, resources_per_patient,
                           files_per_patient, random_seed)
    engine.dispose()
    typer.echo(f"{report.patients_created} patients created ({report.patients_already_there} already there), "
               f"{report.resources} resources, {report.files} files in {report.seconds:.1f} s "
               f"({report.resources_per_second:.0f} resources/s). Password: {report.password}; "
               f"e.g. INS {report.sample_ins}.")


@main.command("create-space")
def create_space(
    ins: str = typer.Option(..., help="The person's INS (15 characters)."),
    given: str = typer.Option(..., help="Given name."),
    family: str = typer.Option(..., help="Family name."),
    birth_date: str = typer.Option(..., help="YYYY-MM-DD."),
    gender: str = typer.Option(..., help="female, male, other or unknown."),
    email: str = typer.Option(None, help="Where to send the provisional code too."),
    phone: str = typer.Option(None),
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL", help=DATABASE_HELP),
) -> None:
    """Create a patient's space; the provisional code goes out by post (and e-mail if given)."""
    from server.admin import create_space as create
    from server.errors import CarnetError

    try:
        space = create(_settings(database_url), ins=ins, given=given, family=family, birth_date=birth_date,
                       gender=gender, email=email, phone=phone)
    except CarnetError as refused:
        raise typer.BadParameter(refused.message) from None
    typer.echo(f"Space created for INS {space.ins} (Patient/{space.patient_id}); provisional code sent.")


@main.command("add-professional")
def add_professional(
    rpps: str = typer.Option(..., help="RPPS number (11 digits)."),
    given: str = typer.Option(...),
    family: str = typer.Option(...),
    profession: str = typer.Option(..., help="e.g. general-practitioner, nurse, pharmacist."),
    email: str = typer.Option(...),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    phone: str = typer.Option(None),
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL", help=DATABASE_HELP),
) -> None:
    """Create a health professional's account."""
    from server.admin import add_professional as add
    from server.errors import CarnetError

    try:
        created = add(_settings(database_url), rpps=rpps, given=given, family=family, profession=profession,
                      email=email, password=password, phone=phone)
    except CarnetError as refused:
        raise typer.BadParameter(refused.message) from None
    typer.echo(f"Professional {created.rpps} created (Practitioner/{created.practitioner_id}).")


@main.command("purge-archives")
def purge_archives(
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL", help=DATABASE_HELP),
) -> None:
    """Erase closed spaces whose retention period is over."""
    from server.admin import purge_archives as purge

    typer.echo(f"{purge(_settings(database_url))} archived space(s) erased.")


@main.command("verify-audit")
def verify_audit(
    ins: str = typer.Option(None, "--ins", help="Check only this patient's chain."),
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL", help=DATABASE_HELP),
) -> None:
    """Check the access history's hash chains; exit code 1 and the first broken link of each
    broken chain if any entry was edited, removed or inserted."""
    from server.admin import verify_audit as verify
    from server.errors import CarnetError

    try:
        result = verify(_settings(database_url), ins)
    except CarnetError as refused:
        raise typer.BadParameter(refused.message) from None
    for broken in result.broken:
        typer.echo(f"BROKEN: {broken}", err=True)
    typer.echo(f"{result.chains} chain(s), {result.entries} entries: "
               + ("intact." if result.intact else f"{len(result.broken)} broken."))
    if not result.intact:
        raise typer.Exit(1)


@main.command("add-app")
def add_app(
    app_id: str = typer.Option(None, "--id", help="Its id, which is its OAuth client_id (e.g. gluco-suivi)."),
    name: str = typer.Option(None, help="Its name, as patients know it."),
    publisher: str = typer.Option(None, help="Who makes it."),
    category: str = typer.Option(None, help="teleconsultation, diabetes, booking, fitness, medication, "
                                            "pregnancy, mental-health or other."),
    description: str = typer.Option(None, help="What it is for, in French (shown to patients)."),
    homepage: str = typer.Option(None, help="Its https:// page."),
    redirect_uri: list[str] = typer.Option(None, "--redirect-uri", help="A redirect URI (repeat for several)."),
    scopes: str = typer.Option(None, help="The SMART scopes it may ask for, e.g. "
                                          "'patient/Observation.rs patient/Observation.c'."),
    confidential: bool = typer.Option(False, "--confidential", help="A server app with a secret (else a public "
                                                                     "app: PKCE, no secret)."),
    from_json: str = typer.Option(None, "--from-json", help="Read the app from a JSON file with these keys "
                                                            "(id, name, …, redirect_uris, scopes, confidential)."),
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL", help=DATABASE_HELP),
) -> None:
    """Reference an app in the catalogue; patients can then grant it access."""
    from server.admin import add_app as add
    from server.errors import CarnetError

    described = _app_description(from_json, app_id=app_id, name=name, publisher=publisher, category=category,
                                 description=description, homepage=homepage, redirect_uris=redirect_uri or [],
                                 scopes=scopes, confidential=confidential)
    try:
        added = add(_settings(database_url), described)
    except CarnetError as refused:
        raise typer.BadParameter(refused.message) from None
    typer.echo(f"App {added.app.id} ({added.app.name}) added: {added.app.client_type} client, "
               f"scopes {added.app.scopes}.")
    if added.client_secret:
        typer.echo(f"Client secret (shown once, give it to the publisher): {added.client_secret}")


def _app_description(from_json: str | None, **options):
    import json
    from pathlib import Path

    from server.services.catalogue import AppDescription

    values = dict(options)
    if from_json:
        try:
            loaded = json.loads(Path(from_json).read_text(encoding="utf-8"))
        except (OSError, ValueError) as unreadable:
            raise typer.BadParameter(f"{from_json}: {unreadable}") from None
        if not isinstance(loaded, dict):
            raise typer.BadParameter(f"{from_json}: expected a JSON object.")
        values.update({key: value for key, value in loaded.items() if key in values})
        values["app_id"] = loaded.get("id", values["app_id"])
        if isinstance(values["scopes"], list):  # a list of scopes reads as well as one string
            values["scopes"] = " ".join(map(str, values["scopes"]))
    missing = [key for key in ("app_id", "name", "publisher", "category", "description", "homepage", "scopes")
               if not values.get(key)]
    if missing:
        raise typer.BadParameter(f"Missing: {', '.join(missing)} (options or --from-json).")
    return AppDescription(values["app_id"], values["name"], values["publisher"], values["category"],
                          values["description"], values["homepage"], tuple(values["redirect_uris"] or ()),
                          values["scopes"], bool(values["confidential"]))


@main.command("list-apps")
def list_apps(
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL", help=DATABASE_HELP),
) -> None:
    """The app catalogue, withdrawn apps included."""
    from server.admin import list_apps as listed

    apps = listed(_settings(database_url))
    if not apps:
        typer.echo("No app in the catalogue.")
    for app in apps:
        typer.echo(f"{app.id:<24} {app.name:<24} {app.category:<17} {app.status:<10} {app.client_type:<13} "
                   f"{app.scopes}")


@main.command("withdraw-app")
def withdraw_app(
    app_id: str = typer.Argument(..., help="The app's id."),
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL", help=DATABASE_HELP),
) -> None:
    """Take an app out of the catalogue: its grants stop working at once."""
    from server.admin import withdraw_app as withdraw
    from server.errors import CarnetError

    try:
        app = withdraw(_settings(database_url), app_id)
    except CarnetError as refused:
        raise typer.BadParameter(refused.message) from None
    typer.echo(f"App {app.id} ({app.name}) withdrawn: its tokens no longer work.")


if __name__ == "__main__":
    main()

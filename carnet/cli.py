"""The `carnet` command: serve, demo, codes, seed and the platform's admin commands."""
from __future__ import annotations

import typer

main = typer.Typer(help="Carnet, a personal health space.", no_args_is_help=True, add_completion=False)


@main.command()
def serve(
    database_url: str = typer.Option(None, envvar="CARNET_DATABASE_URL",
                                     help="SQLAlchemy URL; SQLite under the user's data folder by default."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Run the server (migrations run on start-up)."""
    import uvicorn

    from server.app import create_app
    from server.config import Settings

    settings = Settings(**({"database_url": database_url} if database_url else {}))
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


if __name__ == "__main__":
    main()

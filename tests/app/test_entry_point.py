"""Where the app keeps its data, when it opens a browser, and the `carnet app` command."""
from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from app import main as entry
from app.services import device_directory
from carnet.cli import main as cli


def test_the_cache_lives_in_flet_data_folder_one_folder_per_server(monkeypatch, tmp_path):
    monkeypatch.setenv("FLET_APP_STORAGE_DATA", str(tmp_path))
    assert device_directory("http://127.0.0.1:8000") == tmp_path / "device" / "127.0.0.1_8000"
    assert device_directory("https://carnet.example.fr") == tmp_path / "device" / "carnet.example.fr"


def test_without_flet_data_folder_the_user_data_folder(monkeypatch):
    monkeypatch.delenv("FLET_APP_STORAGE_DATA", raising=False)
    folder = device_directory("https://carnet.example.fr")
    assert folder.parts[-2:] == ("device", "carnet.example.fr") and "carnet" in str(folder.parent.parent)


def test_never_a_browser_in_ci_or_without_display(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert entry.should_open_browser() is False
    monkeypatch.delenv("CI")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(entry.platform, "system", lambda: "Linux")
    assert entry.should_open_browser() is False
    assert entry.desktop_client_available() is False


def test_carnet_app_refuses_plain_http_to_another_machine():
    result = CliRunner().invoke(cli, ["app", "--server", "http://carnet.example.fr", "--web"])
    assert result.exit_code != 0
    assert "https" in result.output


def test_carnet_app_refuses_a_busy_port():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["app", "--server", "http://127.0.0.1:8000", "--port", str(port), "--web"])
    assert result.exit_code != 0
    assert "already in use" in result.output


def test_flet_runs_the_browser_view_offline_without_opening_a_browser(monkeypatch):
    calls = []
    monkeypatch.setattr(entry.ft, "run", lambda main, **options: calls.append(options))
    monkeypatch.delenv("FLET_FORCE_WEB_SERVER", raising=False)
    entry.run_app("http://127.0.0.1:8000", port=8551, web=True, open_browser=False)
    assert calls == [{"view": entry.ft.AppView.WEB_BROWSER, "host": "127.0.0.1", "port": 8551, "no_cdn": True,
                      "web_renderer": entry.ft.WebRenderer.CANVAS_KIT}]
    import os
    assert os.environ["FLET_FORCE_WEB_SERVER"] == "true"
    monkeypatch.delenv("FLET_FORCE_WEB_SERVER")
    assert Path(entry.__file__).name == "main.py"

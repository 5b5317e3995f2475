"""`python -m bench.cache` keeps working (tiny size; the real run is a CI job of its own)."""
from __future__ import annotations

from bench import cache as benchmark


def test_the_benchmark_runs_and_reports_every_figure(tmp_path, capsys):
    result = benchmark.main(["--resources", "300", "--files", "4", "--rounds", "3", "--dir", str(tmp_path)])
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert last_line.startswith("{") and '"write_ratio"' in last_line
    for name in ("write_ratio", "read_ratio", "unlock_ms", "open_raw_key_ms", "document_list_p95_ms",
                 "search_p95_ms", "db_bytes_per_resource"):
        assert result[name] > 0, name
    assert list(tmp_path.iterdir()) == []  # nothing left behind

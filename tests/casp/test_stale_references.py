"""Code and docs name only files that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    "casp",
    "stations",
    "fir",
    "cro",
    "alerts",
    "hoteleye",
    "khidmat",
    "complaints",
    "registrations",
    "analytics",
]
SOURCES += ["bench", "docs", "scripts", "deploy"]
BENCH_FILE = re.compile(r"\bbench/[A-Za-z0-9_]+\.py\b")


def test_every_named_benchmark_file_exists():
    missing = []
    files = [ROOT / "README.md"]
    for top in SOURCES:
        files += [p for p in (ROOT / top).rglob("*") if p.suffix in {".py", ".md"} and "migrations" not in p.parts]
    for path in files:
        for name in BENCH_FILE.findall(path.read_text(encoding="utf-8")):
            if not (ROOT / name).exists():
                missing.append(f"{path.relative_to(ROOT)} names {name}")
    assert not missing, missing

"""Run every benchmark in bench/ and print one figure per line as ``name: value unit``.

``BENCH_SCALE=small`` (default) runs in seconds; ``BENCH_SCALE=national`` uses
the sizes the issues name. Each benchmark module defines ``run(scale) ->
list[tuple[str, float, str]]`` and compares itself with the naive approach.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casp.settings_bench")
    import django

    django.setup()
    scale = os.environ.get("BENCH_SCALE", "small")
    if scale not in {"small", "national"}:
        print(f"BENCH_SCALE must be 'small' or 'national', got {scale!r}", file=sys.stderr)
        return 2
    only = set(sys.argv[1:])
    package = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(package)]), key=lambda m: m.name):
        if not info.name.startswith("bench_") or (only and info.name not in only):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        if getattr(module, "EXPLICIT_ONLY", False) and info.name not in only:
            continue  # bench_cluster starts a whole cluster: only when named (make cluster)
        started = time.monotonic()
        for name, value, unit in module.run(scale):
            print(f"{name}: {value:.6g} {unit}", flush=True)
        print(f"{info.name}.wall_time: {time.monotonic() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Write the development .env (DEBUG on, a generated SECRET_KEY) unless the checkout has one; `make run` calls it."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casp.env import dotenv_create  # noqa: E402

path = Path(__file__).resolve().parent.parent / ".env"
if dotenv_create(path):
    print(f"Wrote {path} for development (DEBUG on, a generated SECRET_KEY); it is git-ignored.")

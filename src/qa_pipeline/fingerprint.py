"""Fingerprints for caching: a plan's bytes, and everything that decides its result.

Re-running an unchanged batch should redo nothing; changing the rubric, the framework,
the calendar, the word lists, the trained models, the self-evaluations or the code
should redo everything. :func:`settings_fingerprint` hashes all of those.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from qa_pipeline.config import RUBRICS_DIR
from qa_pipeline.scoring.models_store import MODELS_DIR

PACKAGE_DIR = Path(__file__).resolve().parent


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _tree_digest(folder: Path, pattern: str) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob(pattern)):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(file_digest(path).encode())
    return h.hexdigest()


@lru_cache(maxsize=8)
def settings_fingerprint(self_evaluations: str | None) -> str:
    """Rubric files, models, code and the self-evaluation export, hashed together."""
    h = hashlib.sha256()
    h.update(version("qa-pipeline").encode())
    for folder, pattern in ((RUBRICS_DIR, "*.yaml"), (MODELS_DIR, "*.joblib"),
                            (PACKAGE_DIR, "*.py")):
        h.update(_tree_digest(folder, pattern).encode())
    if self_evaluations:
        h.update(file_digest(Path(self_evaluations)).encode())
    return h.hexdigest()[:16]


def chunk_key(paths: list[str], self_evaluations: str | None, out_dir: str,
              reports: bool = True) -> str:
    h = hashlib.sha256(settings_fingerprint(self_evaluations).encode())
    h.update(str(Path(out_dir).resolve()).encode())
    h.update(b"reports" if reports else b"results only")
    for p in paths:
        h.update(Path(p).name.encode())
        h.update(file_digest(Path(p)).encode())
    return "qa-chunk-" + h.hexdigest()[:32]


def reports_key(out_dir: str, self_evaluations: str | None) -> str:
    """The reports depend on every result of the batch and on the settings."""
    results = Path(out_dir) / "results"
    h = hashlib.sha256(settings_fingerprint(self_evaluations).encode())
    h.update(str(results.resolve()).encode())
    h.update(_tree_digest(results, "*.json").encode() if results.exists() else b"")
    return "qa-reports-" + h.hexdigest()[:32]

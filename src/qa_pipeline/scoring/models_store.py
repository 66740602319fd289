"""Where the trained scoring models live, and loading them once per process."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from qa_pipeline.area_model import AreaModel
from qa_pipeline.scoring.learned import LevelModels

MODELS_DIR = Path(__file__).resolve().parents[3] / "models"
LEVEL_MODELS = MODELS_DIR / "level_models.joblib"
AREA_MODEL = MODELS_DIR / "area_model.joblib"

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def load_level_models(path: Path = LEVEL_MODELS) -> LevelModels | None:
    """The trained level models, or None (rules only) when none has been built yet."""
    if not path.exists():
        log.warning("no trained scoring model at %s: scoring with the rubric rules only "
                    "(build one with `qa-pipeline train`)", path)
        return None
    return LevelModels.load(path)


@lru_cache(maxsize=1)
def load_area_model(path: Path = AREA_MODEL) -> AreaModel | None:
    """The trained area classifier, or None (the area rules only) before one is built."""
    if not path.exists():
        log.warning("no trained area model at %s: areas from the rules only", path)
        return None
    return AreaModel.load(path)

"""Load the editable data files in ``rubrics/`` into validated pydantic models.

Every file goes through :func:`load_yaml_model`, so a mistake in any of them reads the
same way: the file, the key path (``plan.ratings.0.min_quality``) and what is allowed
there. Models refuse unknown keys (``extra="forbid"``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from qa_pipeline.errors import ConfigError

RUBRICS_DIR = Path(__file__).resolve().parents[2] / "rubrics"
M = TypeVar("M", bound=BaseModel)


def read_yaml(path: Path, what: str) -> tuple[Any, str]:
    """The parsed YAML of a file and a short digest of its bytes (for versioning)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read the {what} file {path}: {exc.strerror or exc}") from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{what} file {path} is not valid YAML: {exc}") from exc
    return data, hashlib.sha256(raw).hexdigest()[:12]


def load_yaml_model(path: Path, model: type[M], what: str,
                    extra: dict[str, Any] | None = None) -> M:
    data, digest = read_yaml(path, what)
    if not isinstance(data, dict):
        raise ConfigError(f"{what} file {path} must hold a mapping with the keys "
                          f"{keys_of(model)}; found {type(data).__name__}")
    if extra:
        data = {**data, **{k: (digest if v == "$digest" else v) for k, v in extra.items()}}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [describe_error(model, e) for e in exc.errors()]
        shown = "; ".join(problems[:5])
        more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        raise ConfigError(f"{what} file {path} is invalid: {shown}{more}") from exc


def _submodel(annotation: Any) -> type[BaseModel] | None:
    """The model class inside ``Model``, ``list[Model]`` or ``dict[str, Model]``."""
    args = getattr(annotation, "__args__", None)
    if args:
        for arg in args:
            found = _submodel(arg)
            if found is not None:
                return found
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def model_at(root: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model that holds the keys at ``loc`` (e.g. ``("areas", 3, "statements", 1)``);
    mapping keys and list indexes on the way are skipped."""
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None:
            return None
        if isinstance(part, str) and part in model.model_fields:
            model = _submodel(model.model_fields[part].annotation)
    return model


def keys_of(model: type[BaseModel] | None) -> str:
    if model is None:
        return "(unknown)"
    required = [n for n, f in model.model_fields.items() if f.is_required()]
    optional = [n for n, f in model.model_fields.items() if not f.is_required()]
    text = ", ".join(required)
    if optional:
        text += f" (optional: {', '.join(optional)})"
    return text


def describe_error(root: type[BaseModel], error: Any) -> str:
    loc = tuple(error["loc"])
    where = ".".join(str(p) for p in loc) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = keys_of(model_at(root, loc[:-1]))
        return f"{where}: unknown key; the keys allowed there are {allowed}"
    if kind == "missing":
        return (f"{where}: required key is missing; the keys there are "
                f"{keys_of(model_at(root, loc[:-1]))}")
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind.endswith("_type") or kind.endswith("_parsing") or "pattern" in kind \
            or kind in ("literal_error", "enum", "greater_than", "less_than_equal",
                        "greater_than_equal", "less_than"):
        return f"{where}: {message} (found {error.get('input')!r})"
    return f"{where}: {message}"

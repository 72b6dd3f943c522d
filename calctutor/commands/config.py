"""``calctutor config``: the settings in force and where each came from; ``--init`` writes
a commented file to start from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from calctutor.errors import CalcError
from calctutor.settings import Effective, config_path, load, template

__all__ = ["ConfigResult", "run_config"]


@dataclass(frozen=True)
class ConfigResult:
    settings: Effective
    created: Path | None = None  # the file --init wrote


def run_config(init: bool = False) -> ConfigResult:
    """Read the effective settings; with ``init``, first write the template file (never
    over an existing one)."""
    created = None
    if init:
        path = config_path()
        if path.exists():
            raise CalcError(f"{path} already exists; edit it, or move it aside to start afresh")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(template(), encoding="utf-8")
        except OSError as exc:
            raise CalcError(f"cannot write {path}: {exc.strerror}") from None
        created = path
    return ConfigResult(load(), created)

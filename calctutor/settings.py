"""The learner's settings: defaults, a TOML file, the environment — and where each came from.

The file is ``config.toml`` in ``$CALCTUTOR_HOME`` when that is set, else in the
platform's user config directory (``~/.config/calctutor/config.toml`` on Linux)::

    colour = "auto"        # auto | always | never
    unicode = true         # false: ASCII only (as --plain), for logs and screen readers
    plain = false          # true: --plain everywhere
    lesson_seed = 7        # default --seed of `calctutor lesson` (omit for fresh numbers)
    steps = "full"         # full | brief: how much of a derivation the REPL shows
    repl_keys = "emacs"    # emacs | vi: the REPL's key bindings
    timeout = 8            # seconds one computation may take

Precedence, low to high: default < file < environment (``NO_COLOR``, ``TERM=dumb``,
``CALCTUTOR_TIMEOUT``) < the command line. A bad file never stops the program: each bad
key is reported (naming the key and what it must be) and its default is used.

Stdlib only (``tomllib``), no SymPy or Rich: every command reads this at start-up.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calctutor.paths import APP_NAME, HOME_VARIABLE

FILE_NAME = "config.toml"


@dataclass(frozen=True)
class Setting:
    """One key: its default, what values it takes, and what it does."""

    key: str
    default: Any
    kind: type | tuple[str, ...]  # a type, or the allowed strings
    help: str
    low: float | None = None  # numbers: inclusive bounds
    high: float | None = None
    optional: bool = False  # None (unset) allowed


SETTINGS: tuple[Setting, ...] = (
    Setting("colour", "auto", ("auto", "always", "never"),
            "colour in the terminal (auto: when the output is a terminal)"),
    Setting("unicode", True, bool, "Unicode symbols and 2-D math; false means ASCII only"),
    Setting("plain", False, bool, "plain ASCII linear text everywhere, as --plain"),
    Setting("lesson_seed", None, int, "default --seed for lessons (unset: fresh numbers)",
            low=0, high=2**31 - 1, optional=True),
    Setting("steps", "full", ("full", "brief"), "how much of a derivation the REPL shows"),
    Setting("repl_keys", "emacs", ("emacs", "vi"), "key bindings of the REPL's line editor"),
    Setting("timeout", 8.0, float, "seconds one computation may take before it is stopped",
            low=0.1, high=600.0),
)
BY_KEY = {s.key: s for s in SETTINGS}


@dataclass(frozen=True)
class Effective:
    """The settings in force, where each value came from, and what was wrong."""

    values: dict[str, Any]
    sources: dict[str, str]  # key -> "default", "file", "environment (NO_COLOR)", ...
    path: Path
    problems: tuple[str, ...] = field(default=())

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def ascii_only(self) -> bool:
        return self.values["plain"] or not self.values["unicode"]


def config_dir() -> Path:
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir  # only when needed (start-up time)

    return Path(user_config_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    return config_dir() / FILE_NAME


def _check(setting: Setting, value: Any) -> tuple[Any, str | None]:
    """(the value as the program uses it, or None with a problem in words)."""
    where = f"{FILE_NAME}: {setting.key}"
    if isinstance(setting.kind, tuple):
        if isinstance(value, str) and value.strip().lower() in setting.kind:
            return value.strip().lower(), None
        return None, f"{where} must be one of {', '.join(setting.kind)} (got {value!r})"
    if setting.kind is bool:
        if isinstance(value, bool):
            return value, None
        return None, f"{where} must be true or false (got {value!r})"
    if setting.kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                (setting.kind is int and not isinstance(value, int)) or value != value:
            kind = "a whole number" if setting.kind is int else "a number"
            return None, f"{where} must be {kind} (got {value!r})"
        if (setting.low is not None and value < setting.low) or \
                (setting.high is not None and value > setting.high):
            low, high = (int(setting.low), int(setting.high)) if setting.kind is int else \
                (setting.low, setting.high)
            return None, f"{where} must be between {low:g} and {high:g} (got {value!r})" \
                if setting.kind is float else f"{where} must be between {low} and {high} (got {value!r})"
        return setting.kind(value), None
    return None, f"{where}: unsupported setting"  # pragma: no cover - table error


def _read_file(path: Path) -> tuple[dict[str, Any], list[str]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [f"cannot read {path}: {exc.strerror}; using the defaults"]
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return {}, [f"{path} is not UTF-8 text; using the defaults"]
    except tomllib.TOMLDecodeError as exc:
        return {}, [f"{path} is not valid TOML ({exc}); using the defaults"]
    return data, []


def _environment(values: dict, sources: dict, problems: list[str]) -> None:
    if os.environ.get("NO_COLOR"):
        values["colour"], sources["colour"] = "never", "environment (NO_COLOR)"
    if os.environ.get("TERM") == "dumb":
        values["plain"], sources["plain"] = True, "environment (TERM=dumb)"
    text = os.environ.get("CALCTUTOR_TIMEOUT")
    if text:
        try:
            value, problem = _check(BY_KEY["timeout"], float(text))
        except ValueError:
            value, problem = None, f"CALCTUTOR_TIMEOUT must be a number (got {text!r})"
        if problem:
            problems.append(problem.replace(f"{FILE_NAME}: timeout", "CALCTUTOR_TIMEOUT"))
        else:
            values["timeout"], sources["timeout"] = value, "environment (CALCTUTOR_TIMEOUT)"


def load(path: Path | None = None) -> Effective:
    """The effective settings (never raises for a bad file: see ``problems``)."""
    path = path or config_path()
    values = {s.key: s.default for s in SETTINGS}
    sources = {s.key: "default" for s in SETTINGS}
    data, problems = _read_file(path)
    for key, value in data.items():
        setting = BY_KEY.get(key)
        if setting is None:
            known = ", ".join(BY_KEY)
            problems.append(f"{FILE_NAME}: unknown key {key!r} (known: {known})")
            continue
        checked, problem = _check(setting, value)
        if problem:
            problems.append(problem + "; using the default")
            continue
        values[key], sources[key] = checked, f"file ({path})"
    _environment(values, sources, problems)
    return Effective(values, sources, path, tuple(problems))


_CACHE: Effective | None = None


def current() -> Effective:
    """The settings of this process, read once."""
    global _CACHE
    if _CACHE is None:
        _CACHE = load()
    return _CACHE


def template() -> str:
    """A commented config file with every key at its default."""
    lines = ["# calctutor settings (calctutor config shows what is in force)", ""]
    for s in SETTINGS:
        choices = f" ({' | '.join(s.kind)})" if isinstance(s.kind, tuple) else ""
        lines.append(f"# {s.help}{choices}")
        if s.default is None:
            lines.append(f"# {s.key} = 7")
        elif isinstance(s.default, bool):
            lines.append(f"{s.key} = {'true' if s.default else 'false'}")
        elif isinstance(s.default, str):
            lines.append(f'{s.key} = "{s.default}"')
        else:
            lines.append(f"{s.key} = {s.default:g}")
        lines.append("")
    return "\n".join(lines)

"""Printing replies, and the session transcript behind ``:save FILE``.

:class:`Printer` draws each reply on the screen console in the session's format (Rich,
plain, LaTeX or JSON) and also on a *recording* Rich console that never reaches the
screen, together with the learner's input lines: ``:save x.html`` / ``x.svg`` export that
recording (Rich's ``save_html``/``save_svg``), ``:save x.md`` writes the inputs and plain
outputs as Markdown.
"""

from __future__ import annotations

import datetime
import inspect
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calctutor.errors import CalcError
from calctutor.repl.replies import Say, Show

SAVE_FORMATS = (".md", ".html", ".svg")


def _call(fn, result, options):
    """Call a renderer function with the options it accepts (brief/full ...)."""
    if options:
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            params = {}
        accepted = {k: v for k, v in options if k in params}
        return fn(result, **accepted)
    return fn(result)


def plain_text(reply) -> str:
    if isinstance(reply, Say):
        return reply.text
    return _call(reply.view.to_plain, reply.result, reply.options).rstrip("\n")


def formatted_text(reply, fmt: str) -> str:
    """The reply as text in ``fmt`` ("plain", "latex" or "json")."""
    if isinstance(reply, Say) or fmt == "plain":
        return plain_text(reply)
    if fmt == "latex" and hasattr(reply.view, "to_latex"):
        return _call(reply.view.to_latex, reply.result, reply.options)
    if fmt == "json":
        from calctutor.termio import dump_json

        return dump_json(reply.view.to_json(reply.result))
    return plain_text(reply)


def rich_renderable(reply):
    from rich.text import Text

    if isinstance(reply, Show):
        return _call(reply.view.to_rich, reply.result, reply.options)
    if reply.rich is not None:
        return reply.rich()
    return styled_message(reply.text, reply.kind)


def styled_message(text: str, kind: str):
    """A message as Rich Text: never read as markup, so carets and brackets stay put."""
    from rich.text import Text

    out = Text()
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("\n")
        if line.startswith("error:"):
            out.append("error:", style="bold red")
            out.append(line[6:])
        elif line.startswith("hint:"):
            out.append("hint:", style="bold yellow")
            out.append(line[5:], style="yellow")
        elif kind == "ok":
            out.append(line, style="green")
        elif kind == "note":
            out.append(line, style="dim")
        elif kind == "error" and line.lstrip().startswith("^"):
            out.append(line, style="bold red")
        else:
            out.append(line)
    return out


@dataclass
class Transcript:
    """The session so far: (input, replies) pairs and a recording console."""

    prompt: str = "calctutor> "
    entries: list[tuple[str, list[Any]]] = field(default_factory=list)
    recorder: Any = None  # rich.console.Console(record=True), made on first use
    width: int = 100

    def _recorder(self):
        if self.recorder is None:
            from rich.console import Console

            self.recorder = Console(record=True, file=io.StringIO(), width=self.width,
                                    force_terminal=True, color_system="truecolor",
                                    highlight=False, emoji=False)
        return self.recorder

    def add_input(self, text: str) -> None:
        from rich.text import Text

        self.entries.append((text, []))
        line = Text(self.prompt, style="bold")
        line.append(text, style="bold cyan")
        self._recorder().print(line)

    def add_reply(self, reply, renderable=None) -> None:
        if not self.entries:
            self.entries.append(("", []))
        self.entries[-1][1].append(reply)
        self._recorder().print(renderable if renderable is not None else rich_renderable(reply))

    def markdown(self) -> str:
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        out = [f"# calctutor session, {stamp}", ""]
        for text, replies in self.entries:
            if text:
                out += ["```text", f"{self.prompt}{text}", "```", ""]
            for reply in replies:
                body = plain_text(reply)
                if body.strip():
                    out += ["```text", body, "```", ""]
        return "\n".join(out)

    def save(self, path: Path, force: bool = False) -> str:
        """Write the transcript whole; the format follows the suffix. An existing file is
        replaced only with ``force``. Returns the format name."""
        from calctutor.files import check_target, write_whole

        suffix = path.suffix.lower()
        if suffix not in SAVE_FORMATS:
            raise CalcError(f"cannot save as '{suffix or path.name}'",
                            hint="name a file ending in .md, .html or .svg")
        target = check_target(path, force=force, replace_hint=f":save {path} --force")
        if suffix == ".md":
            text = self.markdown()
            write_whole(target, lambda temp: temp.write_text(text, encoding="utf-8"))
        elif suffix == ".html":
            write_whole(target, lambda temp: self._recorder().save_html(str(temp), clear=False))
        else:
            write_whole(target, lambda temp: self._recorder().save_svg(
                str(temp), title="calctutor", clear=False))
        return suffix[1:]


class Printer:
    """Draws replies on the screen in the session's format and feeds the transcript."""

    def __init__(self, console, transcript: Transcript, state) -> None:
        self.console = console
        self.transcript = transcript
        self.state = state

    def echo_input(self, text: str) -> None:
        self.transcript.add_input(text)

    def print(self, reply) -> None:
        fmt = self.state.format
        if fmt == "rich":
            renderable = rich_renderable(reply)
            self.console.print(renderable)
            self.transcript.add_reply(reply, renderable)
            return
        if isinstance(reply, Say) and reply.kind == "error" or fmt == "plain":
            text = plain_text(reply)
        else:
            text = formatted_text(reply, fmt)
        self.console.print(styled_message(text, reply.kind) if isinstance(reply, Say)
                           else _literal(text))
        self.transcript.add_reply(reply, _literal(text))


def _literal(text: str):
    from rich.text import Text

    return Text(text)

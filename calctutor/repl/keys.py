"""Key bindings: Enter submits unless a bracket is still open (then it starts a new line,
for multi-line input); Alt-Enter always starts a new line (after ``:check FUNCTION`` it
opens a multi-line working, submitted by Enter on an empty line); Enter on a highlighted
completion only accepts it. Ctrl-C (cancel the line) and Ctrl-D (leave on an empty line)
keep prompt_toolkit's meaning: ``prompt()`` raises KeyboardInterrupt / EOFError."""

from __future__ import annotations

from prompt_toolkit.filters import has_completions, completion_is_selected
from prompt_toolkit.key_binding import KeyBindings

from calctutor.repl.input_forms import brackets_balanced


def should_submit(text: str) -> bool:
    """Enter submits ``text`` when its brackets are balanced (or it is a command).

    A working opened with Alt-Enter after ``:check FUNCTION`` (several lines, one step of
    the derivation each) is submitted by Enter on an empty line; until then Enter starts
    the next line of the working."""
    if is_working(text):
        first, _, rest = text.partition("\n")
        return text.rsplit("\n", 1)[-1].strip() == "" and rest.strip() != ""
    return text.lstrip().startswith(":") or brackets_balanced(text)


def is_working(text: str) -> bool:
    """A multi-line ``:check`` (a learner's working)."""
    return text.lstrip().startswith(":check") and "\n" in text


def key_bindings() -> KeyBindings:
    kb = KeyBindings()

    @kb.add("enter", filter=has_completions & completion_is_selected)
    def _accept_completion(event) -> None:
        event.current_buffer.complete_state = None

    @kb.add("enter", filter=~(has_completions & completion_is_selected))
    def _enter(event) -> None:
        buffer = event.current_buffer
        if should_submit(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    @kb.add("escape", "enter")
    def _newline(event) -> None:
        event.current_buffer.insert_text("\n")

    return kb

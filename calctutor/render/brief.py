"""The brief view of a derivative (``:mode brief``): the answer, the rules that gave it,
and the value at the ``:at`` point, in three lines. ``:mode full`` uses
:mod:`calctutor.render.diff` unchanged; JSON and LaTeX always come from there.

A renderer module (``to_rich/to_plain/to_json/to_latex``) over the same ``DiffResult``;
it only reads the result (no calculus).
"""

from __future__ import annotations

from calctutor.asciitext import sep


def rules_used(result) -> list[str]:
    """The rule names of the derivation, outermost first, each once."""
    seen: list[str] = []
    derivation = result.derivation
    if derivation is None:
        return seen
    for top in derivation.steps:
        for step in top.walk():
            if step.rule not in seen and step.key not in ("constant", "identity"):
                seen.append(step.rule)
    return seen


def _lines(result) -> list[tuple[str, str]]:
    from calctutor.render import diff as full

    d = "d/d" + result.variable if result.order == 1 else \
        f"d^{result.order}/d{result.variable}^{result.order}"
    out = [("answer", f"{d} {full.show(result.structure)} = {full.show(result.derivative)}")]
    rules = rules_used(result)
    if rules:
        out.append(("rules", "rules: " + ", ".join(rules)))
    for note in result.notes:
        out.append(("note", note))
    value = full._value_text(result) if hasattr(full, "_value_text") else None
    if value:
        out.append(("value", value))
    out.append(("hint", f":mode full shows every step{sep()}ans is this result"))
    return out


def to_plain(result) -> str:
    return "\n".join(text for _, text in _lines(result))


def to_rich(result):
    from rich.text import Text

    from calctutor.render.mathtext import NOTE_STYLE, RESULT_STYLE, RULE_STYLE

    styles = {"answer": RESULT_STYLE, "rules": RULE_STYLE, "note": NOTE_STYLE,
              "value": "bold", "hint": NOTE_STYLE}
    text = Text()
    for i, (kind, line) in enumerate(_lines(result)):
        if i:
            text.append("\n")
        text.append(line, style=styles[kind])
    return text


def to_json(result) -> dict:
    from calctutor.render import diff as full

    return full.to_json(result)


def to_latex(result) -> str:
    from calctutor.render import diff as full

    return full.to_latex(result)

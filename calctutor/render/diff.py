"""Renderers for :class:`calctutor.commands.diff.DiffResult`.

The Rich and plain views collapse *routine* sub-derivations (constants, the variable
itself, constant multiples, sums of those, x^n) into one line naming the rules used, and
keep every teaching step (chain, product, quotient, function rules) in full. JSON and
LaTeX keep the whole tree.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from calctutor.commands.diff import DiffResult
from calctutor.render.mathtext import (
    EXPR_STYLE,
    LAYER_STYLE,
    NOTE_STYLE,
    RESULT_STYLE,
    RULE_STYLE,
    inline,
    latex,
    pretty,
)

__all__ = ["to_json", "to_plain", "to_latex", "to_rich", "step_json", "View", "view", "show"]


def _display_printer():
    from sympy.printing.str import StrPrinter

    from calctutor.parsing.printer import InputSyntaxPrinter, keeps_e_power

    class DisplayPrinter(InputSyntaxPrinter):
        """Our syntax for people: 12*x^2*(2*x^3 + 3) rather than the tree-exact
        12*(x^2*(2*x^3 + 3)) that JSON uses (both parse to the same value)."""

        def _print_Mul(self, expr):
            args = expr.args
            if len(args) == 2 and args[0] is sympy.S.NegativeOne and not expr.is_Number:
                return InputSyntaxPrinter._print_Mul(self, expr)
            if any(keeps_e_power(a) for a in args):  # x*e^(-x), as typed, not x/e^x
                return InputSyntaxPrinter._print_Mul(self, expr)
            return StrPrinter._print_Mul(self, expr).replace("**", "^")

    return DisplayPrinter()


_DISPLAY = []


def show(expr) -> str:
    """An expression for human eyes (Rich, plain, LaTeX-free views), in our syntax."""
    if not _DISPLAY:
        _DISPLAY.append(_display_printer())
    return _DISPLAY[0].doprint(expr).replace("**", "^")

_ROUTINE = frozenset({"constant", "other_variable", "identity", "constant_multiple", "sum",
                      "difference", "power"})


# ── which steps to show ──────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class View:
    step: object  # calctutor.steps.Step
    children: tuple["View", ...]
    collapsed: tuple[str, ...] = ()  # rule names folded into this line


def _routine(step) -> bool:
    if step.key not in _ROUTINE or (step.key == "power" and step.children):
        return False
    return all(_routine(c) for c in step.children)


def _rules_in(step) -> tuple[str, ...]:
    seen: list[str] = []
    for node in step.walk():
        if node.rule not in seen:
            seen.append(node.rule)
    return tuple(seen)


def view(step, top: bool = True) -> View:
    """The steps worth showing: routine sub-trees fold into one line."""
    if not top and step.children and _routine(step):
        return View(step, (), _rules_in(step))
    return View(step, tuple(view(c, False) for c in step.children))


def walk_views(v: View, depth: int = 0):
    yield v, depth
    for c in v.children:
        yield from walk_views(c, depth + 1)


# ── JSON ─────────────────────────────────────────────────────────────────────────────
def step_json(step, breakdowns: dict | None = None) -> dict:
    doc = {
        "id": step.id,
        "rule": step.rule,
        "key": step.key,
        "expr": inline(step.expr),
        "result": inline(step.result),
        "wrt": step.wrt.name,
    }
    if step.note:
        doc["note"] = step.note
    if step.explanation:
        doc["explanation"] = step.explanation
    if step.work is not None:
        doc["work"] = inline(step.work)
    if step.key == "chain":
        doc["let"] = {"letter": step.variable, "definition": inline(step.inner)}
        doc["outer"] = inline(step.outer)
        doc["outer_derivative"] = inline(step.outer_derivative)
        doc["inner_derivative"] = inline(step.inner_derivative)
        if breakdowns and step.id in breakdowns:
            doc["layers"] = [_layer_json(layer) for layer in breakdowns[step.id].layers]
    if step.mutated:
        doc["mutated"] = True
    doc["substeps"] = [step_json(c, breakdowns) for c in step.children]
    return doc


def _layer_json(layer) -> dict:
    return {"name": layer.name, "definition": inline(layer.definition), "wrt": layer.wrt,
            "local_derivative": inline(layer.local), "at_variable": inline(layer.at_variable),
            "leibniz": layer.leibniz}


def to_json(result: DiffResult) -> dict:
    breakdowns = {b.step_id: b for b in result.breakdowns}
    steps = ([step_json(s, breakdowns) for s in result.derivation.steps]
             if result.derivation is not None else [])
    doc = {
        "input": result.input,
        "variable": result.variable,
        "order": result.order,
        "derivative": inline(result.derivative),
        "latex": latex(result.derivative),
        "value": result.value_number,
        "value_exact": inline(result.value) if result.value is not None else None,
        "expression": inline(result.expression),
        "as_typed": inline(result.structure),
        "steps": steps,
    }
    if result.point is not None:
        doc["point"] = {k: inline(v) for k, v in result.point.items()}
    if result.value_note:
        doc["value_note"] = result.value_note
    if result.at is not None:
        doc.update(_point_json(result.at))
    if result.notes:
        doc["notes"] = list(result.notes)
    if result.derivation is not None and result.derivation.simplified_by:
        doc["simplified_by"] = result.derivation.simplified_by
    doc["size"] = {"ours": result.size, "sympy_diff": result.sympy_size}
    if result.breakdowns:
        b = result.breakdowns[0]
        doc["chain"] = {"leibniz": b.leibniz, "product": inline(b.product),
                        "layers": [_layer_json(layer) for layer in b.layers]}
    return doc


# ── shared wording ───────────────────────────────────────────────────────────────────
def _d(result: DiffResult) -> str:
    n, x = result.order, result.variable
    return f"d/d{x}" if n == 1 else f"d^{n}/d{x}^{n}"


def step_line(step, collapsed=()) -> str:
    rules = ", ".join(collapsed) if collapsed else step.rule
    if step.rewrites:
        return f"{rules}: {show(step.expr)} = {show(step.result)}"
    return f"{rules}: d/d{step.wrt.name} [{show(step.expr)}] = {show(step.result)}"


def _point_json(at) -> dict:
    """The evaluator's verdict at the point: defined, differentiable, one-sided values."""
    doc: dict = {"defined": at.defined}
    if at.order:
        doc["differentiable"] = at.differentiable
    if at.one_sided is not None:
        doc["one_sided"] = {
            "left": at.one_sided.left_number, "right": at.one_sided.right_number,
            "left_exact": inline(at.one_sided.left) if at.one_sided.left is not None else None,
            "right_exact": inline(at.one_sided.right) if at.one_sided.right is not None
            else None,
        }
    if at.kinks:
        doc["kinks"] = list(at.kinks)
    return doc


def _value_text(result: DiffResult) -> str | None:
    if result.point is None:
        return None
    where = ", ".join(f"{k} = {show(v)}" for k, v in result.point.items())
    if result.value is None:
        if result.at is not None and result.at.reason:
            return f"at {where}: no value ({result.at.reason})"
        return f"at {where}: {result.value_note}"
    exact = show(result.value)
    number = result.value_number
    approx = ""
    if number is not None and exact != _short(number):
        approx = f" (= {_short(number)})"
    text = f"at {where}: {exact}{approx}"
    if result.at is not None and result.at.notes:
        text += f"\n  note: {result.at.notes[0]}"
    return text


def _short(x: float) -> str:
    from calctutor.numfmt import format_number

    return format_number(x, 10)


# ── plain ────────────────────────────────────────────────────────────────────────────
def to_plain(result: DiffResult) -> str:
    lines = [f"{_d(result)} {show(result.structure)}"]
    for note in result.notes:
        lines.append(f"  note: {note}")
    if result.derivation is not None and result.derivation.steps:
        lines += ["", "steps:"]
        for top in result.derivation.steps:
            for v, depth in walk_views(view(top)):
                s = v.step
                indent = "  " * (depth + 1)
                lines.append(f"{indent}{s.id}  {step_line(s, v.collapsed)}")
                if s.key == "chain":
                    lines.append(f"{indent}    let {s.variable} = {show(s.inner)}: "
                                 f"outer {show(s.outer)} -> {show(s.outer_derivative)}, "
                                 f"times d{s.variable}/d{s.wrt.name} = {show(s.inner_derivative)}")
                elif s.note:
                    lines.append(f"{indent}    ({s.note})")
        for b in result.breakdowns:
            lines += ["", f"chain rule, layer by layer ({show(result.derivation.find(b.step_id).expr)}):"]
            lefts = [f"{layer.name} = {show(layer.definition)}" for layer in b.layers]
            mids = [f"{layer.leibniz} = {show(layer.local)}" for layer in b.layers]
            w1, w2 = max(map(len, lefts)), max(map(len, mids))
            for layer, left, mid in zip(b.layers, lefts, mids):
                lines.append(f"  {left.ljust(w1)}   {mid.ljust(w2)}   "
                             f"in {result.variable}: {show(layer.at_variable)}")
            lines.append(f"  {b.leibniz} = " + " = ".join(_product_chain(b)))
    lines += ["", f"result: {_d(result)} {show(result.structure)} = {show(result.derivative)}"]
    art = pretty(result.derivative, unicode=False)
    if "\n" in art:
        lines += ["", art]
    value = _value_text(result)
    if value:
        lines.append(value)
    return "\n".join(lines)


# ── LaTeX ────────────────────────────────────────────────────────────────────────────
def _derivative_latex(expr, wrt, order=1) -> str:
    try:
        return latex(sympy.Derivative(expr, (wrt, order)) if order > 1 else sympy.Derivative(expr, wrt))
    except Exception:  # noqa: BLE001 - a constant: write the operator by hand
        return r"\frac{d}{d %s}\left(%s\right)" % (latex(wrt), latex(expr))


def to_latex(result: DiffResult) -> str:
    head = (f"{_derivative_latex(result.structure, result.symbol, result.order)} = "
            f"{latex(result.derivative)}")
    if result.derivation is None or not result.derivation.steps:
        return head
    rows = []
    for top in result.derivation.steps:
        for v, _ in walk_views(view(top)):
            s = v.step
            rules = ", ".join(v.collapsed) if v.collapsed else s.rule
            lhs = latex(s.expr) if s.rewrites else _derivative_latex(s.expr, s.wrt)
            rows.append(rf"&\text{{{s.id} {rules}:}} && {lhs} = {latex(s.result)}")
    body = " \\\\\n".join(rows)
    return f"{head}\n\\begin{{align*}}\n{body}\n\\end{{align*}}"


# ── Rich ─────────────────────────────────────────────────────────────────────────────
def _pretty_step(step) -> str:
    try:
        if step.rewrites:
            eq = sympy.Eq(step.expr, step.result, evaluate=False)
        else:
            eq = sympy.Eq(sympy.Derivative(step.expr, step.wrt), step.result, evaluate=False)
        return pretty(eq)
    except Exception:  # noqa: BLE001 - fall back to one line
        return step_line(step)


def _label(v: View):
    from rich.console import Group
    from rich.text import Text

    s = v.step
    head = Text.assemble((s.id + "  ", NOTE_STYLE),
                         (", ".join(v.collapsed) if v.collapsed else s.rule, RULE_STYLE))
    if s.key == "chain":
        head.append(f"   let {s.variable} = {show(s.inner)}", style=LAYER_STYLE)
    elif s.note:
        head.append(f"   {s.note}", style=NOTE_STYLE)
    if v.collapsed:
        return Group(head, Text(step_line(s, ()).split(": ", 1)[1], style=EXPR_STYLE))
    return Group(head, Text(_pretty_step(s), style=EXPR_STYLE))


def add_view(parent, v: View) -> None:
    node = parent.add(_label(v))
    for c in v.children:
        add_view(node, c)


def _layer_table(result: DiffResult, b):
    from rich.table import Table
    from rich.text import Text

    expr = result.derivation.find(b.step_id).expr
    table = Table(title=f"chain rule, layer by layer: {show(expr)}", title_justify="left",
                  show_edge=False, header_style="bold")
    table.add_column("layer", style=LAYER_STYLE)
    table.add_column("definition", style=EXPR_STYLE)
    table.add_column("local derivative")
    table.add_column(f"written in {result.variable}")
    for layer in b.layers:
        table.add_row(layer.name, f"{layer.name} = {show(layer.definition)}",
                      f"{layer.leibniz} = {show(layer.local)}", show(layer.at_variable))
    shown = _product_chain(b)
    caption = Text.assemble((b.leibniz, "bold"), " = ", *(
        [(shown[0], EXPR_STYLE), " = ", (shown[1], RESULT_STYLE)] if len(shown) == 2
        else [(shown[0], RESULT_STYLE)]))
    table.caption = caption
    table.caption_justify = "left"
    return table


def _product_chain(breakdown) -> list[str]:
    """The product of the local slopes, then its tidy form (once, when they read alike)."""
    product, result = show(breakdown.product), show(breakdown.result)
    return [product] if product == result else [product, result]


def to_rich(result: DiffResult):
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text
    from rich.tree import Tree

    parts: list = []
    facts = Text.assemble(("you typed  ", NOTE_STYLE), result.input, "\n",
                          ("read as    ", NOTE_STYLE), (show(result.structure), EXPR_STYLE), "\n",
                          ("variable   ", NOTE_STYLE), result.variable,
                          (f"   order {result.order}" if result.order != 1 else "", NOTE_STYLE))
    for note in result.notes:
        facts.append(f"\nnote       {note}", style=NOTE_STYLE)
    parts.append(facts)
    if result.derivation is not None and result.derivation.steps:
        tree = Tree(Text("steps", style="bold"), guide_style=NOTE_STYLE)
        for top in result.derivation.steps:
            add_view(tree, view(top))
        parts += [Text(""), tree]
        for b in result.breakdowns:
            parts += [Text(""), _layer_table(result, b)]
    answer = [Text(pretty(sympy.Eq(
        sympy.Derivative(result.structure, (result.symbol, result.order)) if result.order
        else result.structure, result.derivative, evaluate=False)), style=RESULT_STYLE),
        Text.assemble(("paste back: ", NOTE_STYLE), show(result.derivative))]
    value = _value_text(result)
    if value:
        answer.append(Text(value, style="bold"))
    parts += [Text(""), Panel(Group(*answer), title="result", border_style="green", expand=False)]
    title = f"[bold]{_d(result)}[/bold] {show(result.structure)}"
    return Panel(Group(*parts), title=title, expand=False)

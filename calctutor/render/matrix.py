"""Renderers for matrix calculus: ``grad --shape`` (MatGradResult), ``check --shape``
(MatrixVerdict) and ``graph --shape`` (MatrixGraph). Rich and LaTeX use xᵀ, A⁻¹, ‖x‖, ⊙;
``--plain`` and JSON use the ASCII notation. Both parse back."""

from __future__ import annotations

import numpy as np

from calctutor.commands.matgrad import MatGradResult
from calctutor.matrix.derive import Step
from calctutor.matrix.graph import MatrixGraph, adjoint_name
from calctutor.matrix.grade import MatrixVerdict
from calctutor.matrix.nodes import show_shape
from calctutor.matrix.numeric import TOLERANCE, Check
from calctutor.matrix.printer import to_latex as node_latex
from calctutor.matrix.printer import to_text, to_unicode
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE, RULE_STYLE, WRONG_STYLE

__all__ = ["to_json", "to_plain", "to_latex", "to_rich"]


def shape_json(shape) -> list:
    return [shape[0], shape[1]]


def _ascii(text: str) -> str:
    return (text.replace("ᵀ", "^T").replace("⁻¹", "^-1").replace("⁻ᵀ", "^-T")
            .replace("‖", "||").replace("⊙", ".*").replace("²", "^2").replace("∇ₓ", "grad_x")
            .replace("∇_", "grad_").replace("∇", "grad ")
            .replace("×", "x").replace("−", "-").replace("∂", "d").replace("ₓ", "_x")
            .replace("⟨", "<").replace("⟩", ">").replace("Ḡ", "G").replace("✓", "ok")
            .replace("✗", "NOT").replace("…", "...").replace("–", "-").replace("→", "->"))


def _show(node, plain: bool) -> str:
    return to_text(node) if plain else to_unicode(node)


def _paren(text: str) -> str:
    return text if all(c.isalnum() or c == "_" for c in text) else f"({text})"


def check_line(check: Check, symbolic_sizes: bool, second_witness: bool = False) -> tuple[str, bool]:
    ok = check.ok
    if check.draws == 0:
        return ("not verified: the function could not be evaluated at any random draw", False)
    sizes = ""
    if symbolic_sizes:
        seen = sorted({tuple(sorted(s.items())) for s in check.sizes})
        sizes = " (sizes " + "; ".join(", ".join(f"{k} = {v}" for k, v in s) for s in seen) + ")"
    what = (f"verified at {check.draws} random draw{'s' if check.draws != 1 else ''}{sizes}, "
            f"max relative error {check.max_relative_error:.1g}")
    if not ok:
        what = (f"NOT verified: at {check.draws} random draws the result and central "
                f"differences differ (max relative error {check.max_relative_error:.2g} "
                f"> {TOLERANCE:g})")
    text = what + f" — {check.method}"
    if check.autodiff_error is not None:
        text += (f"; calctutor's reverse-mode autodiff on the entries agrees to "
                 f"{check.autodiff_error:.1g} at {check.autodiff_draws} draws")
    elif check.ok and second_witness:
        text += ("; the second witness (autodiff on the entries) did not run here: the "
                 "variable's entries are tied (symmetric or summing to 1) or the expansion is "
                 "too big")
    return text, ok


# ================================================================= grad --shape

def _step_reads(step: Step, kind: str, wrt: str, plain: bool) -> str:
    e = _show(step.expr, plain)
    r = _show(step.result, plain)
    if step.rule.startswith("sum over"):
        return f"∂f/∂{wrt} = {e} = {r}"
    if kind == "jacobian":
        return f"∂{_paren(e)}/∂{wrt} = {r}"
    return f"∂f/∂{_paren(e)} = {r}"


def _step_json(step: Step, kind: str, wrt: str) -> dict:
    return {"rule": step.rule, "expr": to_text(step.expr), "result": to_text(step.result),
            "shape": shape_json(step.result.shape), "identity": step.identity,
            "note": step.note or None, "reads": _ascii(_step_reads(step, kind, wrt, True)),
            "substeps": [_step_json(s, kind, wrt) for s in step.substeps]}


def _top_step(result: MatGradResult) -> dict:
    return {"rule": result.rule, "expr": to_text(result.function), "result": to_text(result.result),
            "shape": shape_json(result.result.shape), "identity": result.identity,
            "note": None,
            "reads": (f"grad_{result.wrt} f = {to_text(result.result)}" if result.kind == "gradient"
                      else f"d f/d {result.wrt} = {to_text(result.result)}"),
            "substeps": [_step_json(s, result.kind, result.wrt) for s in result.steps]}


def _grad_json(result: MatGradResult) -> dict:
    doc = {
        "input": result.input,
        "expression": to_text(result.function),
        "wrt": result.wrt,
        "shapes": {k: shape_json(d.shape) for k, d in sorted(result.decls.items())},
        "symmetric": sorted(k for k, d in result.decls.items() if d.symmetric),
        "kind": result.kind,
        "layout": _layout(result, True),
        "result": to_text(result.result),
        "result_shape": shape_json(result.result.shape),
        "latex": node_latex(result.result),
        "rule": result.rule,
        "identity": result.identity,
        "steps": [_top_step(result)],
        "notes": list(result.notes),
        "verified": {"method": result.check.method, "draws": result.check.draws,
                     "max_relative_error": result.check.max_relative_error,
                     "ok": result.check.ok,
                     "sizes": [dict(s) for s in result.check.sizes],
                     "autodiff": {"method": "calctutor.graph reverse mode on the function "
                                            "written entry by entry",
                                  "draws": result.check.autodiff_draws,
                                  "max_relative_error": result.check.autodiff_error}},
    }
    if result.components is not None:
        from calctutor.parsing import to_input

        doc["components"] = [{"entry": c.label, "ours": to_input(c.ours),
                              "sympy": to_input(c.reference), "equal": c.equal}
                             for c in result.components]
    return doc


def _kind_of(shape) -> str:
    if shape == (1, 1):
        return "scalar"
    return f"vector, {show_shape(shape)}" if shape[1] == 1 else show_shape(shape)


def _layout(result: MatGradResult, plain: bool) -> str:
    shape = show_shape(result.decls[result.wrt].shape)
    if result.kind == "gradient":
        return (f"gradient with the shape of {result.wrt} ({shape}), the layout PyTorch's "
                ".grad uses")
    m = show_shape(result.result.shape)
    return f"Jacobian {m}: row i is the gradient of output i (rows are outputs)"


def _grad_lines(result: MatGradResult, plain: bool) -> list[tuple[str, str]]:
    """(style, text) lines, shared by the Rich and plain views."""
    sh = lambda n: _show(n, plain)  # noqa: E731
    lines: list[tuple[str, str]] = []
    head = ("∇" if result.kind == "gradient" else "∂/∂") + f"_{result.wrt}"
    lines.append((EXPR_STYLE, f"{head} of f = {sh(result.function)}   "
                  f"(f: {_kind_of(result.function.shape)})"))
    lines.append((NOTE_STYLE, "shapes: " + "; ".join(d.describe() for _, d in
                                                      sorted(result.decls.items()))))
    lines.append((RESULT_STYLE, f"= {sh(result.result)}  : {show_shape(result.result.shape)}"))
    lines.append((NOTE_STYLE, _layout(result, plain)))
    if result.identity:
        lines.append((RULE_STYLE, f"{result.rule}: {result.identity}"))
    lines.append(("bold", "steps" + ("  (each line: ∂f/∂part, the shape of the part)"
                                     if result.kind == "gradient" else
                                     f"  (each line: ∂part/∂{result.wrt}, rows are outputs)")))

    def walk(steps, prefix: str, depth: int):
        for i, s in enumerate(steps, 1):
            label = f"{prefix}{i}."
            lines.append((RULE_STYLE, "  " * depth + f"{label} {s.rule}"))
            lines.append(("", "  " * depth + "   " + _step_reads(s, result.kind, result.wrt, plain)
                          + f"  : {show_shape(s.result.shape)}"))
            if s.identity:
                lines.append((NOTE_STYLE, "  " * depth + f"   ({s.identity})"))
            if s.note:
                lines.append((NOTE_STYLE, "  " * depth + f"   note: {s.note}"))
            walk(s.substeps, label, depth + 1)

    walk(result.steps, "", 1)
    if not result.steps:
        lines.append(("", f"  f does not depend on {result.wrt}: the derivative is 0"))
    def step_notes(steps):
        out = set()
        for s in steps:
            out |= {s.note} | step_notes(s.substeps)
        return out

    shown = step_notes(result.steps)
    for n in result.notes:
        if n not in shown:
            lines.append((NOTE_STYLE, f"note: {n}"))
    text, ok = check_line(result.check, any(isinstance(d, str) for x in result.decls.values()
                                            for d in x.shape), second_witness=True)
    lines.append((RESULT_STYLE if ok else WRONG_STYLE, ("✓ " if ok else "✗ ") + text))
    if result.components is not None:
        lines.append(("bold", "component by component (our result's entry | sympy.diff of f)"))
        from calctutor.parsing import to_input

        for c in result.components:
            mark = "=" if c.equal else "≠"
            lines.append(("", f"  {c.label} = {to_input(c.ours)}   {mark} {to_input(c.reference)}"))
    if plain:
        lines = [(s, _ascii(t)) for s, t in lines]
    return lines


# ================================================================= check --shape

def _check_json(v: MatrixVerdict) -> dict:
    return {
        "correct": v.correct,
        "task": v.kind,
        "answer": to_text(v.answer),
        "expected": to_text(v.expected),
        "mistake": None if v.correct else v.mistake,
        "matrix_mistake": v.detail,
        "message": _ascii(v.message),
        "witnesses": v.witnesses,
        "function": to_text(v.function),
        "variable": v.wrt,
        "shapes": {k: shape_json(d.shape) for k, d in sorted(v.decls.items())},
        "symmetric": sorted(k for k, d in v.decls.items() if d.symmetric),
        "counterexample": v.counterexample,
        "notes": list(v.notes),
    }


def _check_lines(v: MatrixVerdict, plain: bool) -> list[tuple[str, str]]:
    sh = lambda n: _show(n, plain)  # noqa: E731
    what = "∇" if v.kind == "gradient" else "∂/∂"
    lines = [(EXPR_STYLE, f"is {sh(v.answer)} the {v.kind} {what}_{v.wrt} of {sh(v.function)}?"),
             (NOTE_STYLE, "shapes: " + "; ".join(d.describe() for _, d in sorted(v.decls.items())))]
    if v.correct:
        lines.append((RESULT_STYLE, "✓ " + v.message))
    else:
        lines.append((WRONG_STYLE, "✗ " + v.message))
        lines.append(("", f"expected: {sh(v.expected)}  : {show_shape(v.expected.shape)}"))
    for n in v.notes:
        lines.append((NOTE_STYLE, f"note: {n}"))
    if plain:
        lines = [(s, _ascii(t)) for s, t in lines]
    return lines


# ================================================================= graph --shape

def _array(a: np.ndarray, digits: int = 4) -> list:
    return [[_num(x, digits) for x in row] for row in np.asarray(a, dtype=float)]


def _num(x: float, digits: int = 6):
    x = float(x)
    if x != x or abs(x) == float("inf"):
        return None
    return float(f"{x:.{digits}g}")


def _fmt_array(a: np.ndarray) -> str:
    a = np.asarray(a, dtype=float)
    if a.shape == (1, 1):
        return f"{a[0, 0]:.4g}"
    rows = ["[" + ", ".join(f"{x:.4g}" for x in row) + "]" for row in a]
    if a.shape[1] == 1:
        return "[" + ", ".join(f"{x:.4g}" for x in a[:, 0]) + "]ᵀ"
    return "[" + ", ".join(rows) + "]"


def _graph_json(g: MatrixGraph) -> dict:
    nodes = []
    for n in g.nodes:
        nodes.append({"id": n.name, "op": "input" if n.expr is None else _op(n.expr),
                      "expr": n.name if n.expr is None else to_text(n.expr),
                      "shape": shape_json(n.shape), "value": _array(n.value, 8),
                      "grad": _array(n.grad, 8),
                      "grad_formula": None if n.grad_formula is None else to_text(n.grad_formula)})
    edges = [{"from": e.source, "to": e.to, "local_derivative": None, "rule": e.rule,
              "backward": to_text(e.formula), "shape": shape_json(e.formula.shape),
              "value": _array(e.value, 8)} for e in g.edges]
    return {"nodes": nodes, "edges": edges, "output": g.output,
            "gradient": {k: _array(n.grad, 8) for n in g.nodes for k in [n.name] if n.expr is None},
            "adjoint_names": {n.name: adjoint_name(n.name) for n in g.nodes},
            "seed": g.seed, "sizes": g.sizes,
            "verified": {"method": g.check.method, "draws": g.check.draws,
                         "max_relative_error": g.check.max_relative_error, "ok": g.check.ok}}


def _op(expr) -> str:
    return type(expr).__name__.lower() if not hasattr(expr, "fn") else expr.fn


def _graph_lines(g: MatrixGraph, plain: bool) -> list[tuple[str, str]]:
    sh = lambda n: _show(n, plain)  # noqa: E731
    lines: list[tuple[str, str]] = [("bold", "forward pass (values at a random point, seed "
                                             f"{g.seed}" + (", sizes " + ", ".join(
                                                 f"{k} = {v}" for k, v in sorted(g.sizes.items()))
                                                 if g.sizes else "") + ")")]
    for n in g.nodes:
        if n.expr is None:
            lines.append(("", f"  {n.name} : {show_shape(n.shape)}  input  = {_fmt_array(n.value)}"))
    for n in g.nodes:
        if n.expr is not None:
            lines.append((EXPR_STYLE, f"  {n.name} = {sh(n.expr)}  : {show_shape(n.shape)}  "
                          f"= {_fmt_array(n.value)}"))
    lines.append(("bold", f"backward pass ({adjoint_name('v')} is ∂{g.output}/∂v, the shape "
                          "of v; each step is a matrix product)"))
    by_target: dict[str, list] = {}
    for e in g.edges:
        by_target.setdefault(e.source, []).append(e)
    seen = [g.output]
    order = [e.source for e in g.edges]
    for name in order:
        if name in seen:
            continue
        seen.append(name)
        parts = by_target[name]
        node = next(n for n in g.nodes if n.name == name)
        formula = " + ".join(sh(p.formula) for p in parts)
        rules = ", ".join(dict.fromkeys(p.rule for p in parts))
        lines.append((RULE_STYLE, f"  {rules}"))
        lines.append(("", f"    {adjoint_name(name)} = {formula}  : {show_shape(node.shape)}"
                      f"  = {_fmt_array(node.grad)}"))
    lines.append(("bold", "gradient"))
    for n in g.nodes:
        if n.expr is None:
            formula = sh(n.grad_formula) if n.grad_formula is not None else "0"
            lines.append((RESULT_STYLE, f"  ∂{g.output}/∂{n.name} = {formula}  : "
                          f"{show_shape(n.shape)}  = {_fmt_array(n.grad)}"))
    text, ok = check_line(g.check, False)
    lines.append((RESULT_STYLE if ok else WRONG_STYLE, ("✓ " if ok else "✗ ") + text))
    if plain:
        lines = [(s, _ascii(t)) for s, t in lines]
    return lines


# ================================================================= dispatch

def _lines(result, plain: bool):
    if isinstance(result, MatGradResult):
        return _grad_lines(result, plain)
    if isinstance(result, MatrixVerdict):
        return _check_lines(result, plain)
    return _graph_lines(result, plain)


def to_json(result) -> dict:
    if isinstance(result, MatGradResult):
        return _grad_json(result)
    if isinstance(result, MatrixVerdict):
        return _check_json(result)
    return _graph_json(result)


def to_plain(result) -> str:
    return "\n".join(t for _, t in _lines(result, True))


def to_rich(result):
    from rich.text import Text

    out = Text()
    for i, (style, text) in enumerate(_lines(result, False)):
        if i:
            out.append("\n")
        out.append(text, style=style or None)
    return out


def to_latex(result) -> str:
    if isinstance(result, MatGradResult):
        op = r"\nabla_{%s}" % result.wrt if result.kind == "gradient" else \
            r"\frac{\partial f}{\partial %s}" % result.wrt
        if result.kind == "gradient":
            return rf"{op} \left({node_latex(result.function)}\right) = {node_latex(result.result)}"
        return rf"{op} = {node_latex(result.result)}"
    if isinstance(result, MatrixVerdict):
        return node_latex(result.expected)
    rows = [rf"\frac{{\partial {g.output}}}{{\partial {n.name}}} = {node_latex(n.grad_formula)}"
            for g in [result] for n in result.nodes if n.expr is None and n.grad_formula is not None]
    return r" \\ ".join(rows)


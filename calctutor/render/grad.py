"""Renderers for :class:`calctutor.commands.grad.GradResult`."""

from __future__ import annotations

import sympy

from calctutor.commands.grad import GradResult
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

__all__ = ["to_json", "to_plain", "to_latex", "to_rich"]


def _number(value):
    from calctutor.pointvalue import decimal

    return decimal(value)


def _text(value) -> str:
    from calctutor.render.diff import show

    return "no value" if value is None else show(value)


def _grid_json(grid):
    return [[inline(e) for e in row] for row in grid]


def _values_json(grid):
    return [[_number(e) for e in row] for row in grid]


def _exact_json(grid):
    return [[None if e is None else inline(e) for e in row] for row in grid]


def to_json(result: GradResult) -> dict:
    from calctutor.render.diff import step_json

    doc: dict = {
        "input": result.input,
        "outputs": [inline(e) for e in result.outputs],
        "variables": list(result.variables),
        "partials": [],
    }
    for i, out in enumerate(result.outputs):
        for j, name in enumerate(result.variables):
            item = {"output": inline(out), "variable": name,
                    "derivative": inline(result.partials[i][j]),
                    "latex": latex(result.partials[i][j])}
            if result.values is not None:
                item["value"] = _number(result.values[i][j])
                item["value_exact"] = None if result.values[i][j] is None else inline(result.values[i][j])
                if result.value_notes and result.value_notes[i][j]:
                    item["value_note"] = result.value_notes[i][j]
            if result.derivations is not None:
                item["steps"] = [step_json(s) for s in result.derivations[i][j].steps]
            doc["partials"].append(item)
    if result.is_jacobian:
        doc["jacobian"] = _grid_json(result.partials)
        if result.values is not None:
            doc["jacobian_value"] = _values_json(result.values)
            doc["jacobian_exact"] = _exact_json(result.values)
    else:
        doc["gradient"] = [inline(e) for e in result.gradient]
        if result.values is not None:
            doc["gradient_value"] = [_number(e) for e in result.values[0]]
            doc["gradient_exact"] = [None if e is None else inline(e) for e in result.values[0]]
    if result.point is not None:
        doc["point"] = {k: inline(v) for k, v in result.point.items()}
    if result.hessian is not None:
        doc["hessian"] = _grid_json(result.hessian)
        if result.hessian_values is not None:
            doc["hessian_value"] = _values_json(result.hessian_values)
            doc["hessian_exact"] = _exact_json(result.hessian_values)
            if result.hessian_notes is not None:
                doc["hessian_notes"] = [list(r) for r in result.hessian_notes]
        c = result.curvature
        doc["curvature"] = {"kind": c.kind, "summary": c.summary, "eigenvalues": list(c.eigenvalues)}
    if result.directional is not None:
        d = result.directional
        doc["direction"] = {
            "given": [inline(v) for v in d.given],
            "unit": [inline(v) for v in d.unit],
            "length": inline(d.length),
            "normalised": d.normalised,
            "note": d.note,
            "derivative": [inline(e) for e in d.derivatives] if result.is_jacobian
            else inline(d.derivatives[0]),
            "value": [_number(v) for v in d.values] if result.is_jacobian else _number(d.values[0]),
            "value_exact": [None if v is None else inline(v) for v in d.values] if result.is_jacobian
            else (None if d.values[0] is None else inline(d.values[0])),
        }
        if any(d.value_notes):
            doc["direction"]["value_notes"] = list(d.value_notes)
        if d.steepest is not None:
            doc["direction"]["steepest_rate"] = _number(d.steepest)
            doc["direction"]["steepest_rate_exact"] = inline(d.steepest)
    if result.notes:
        doc["notes"] = list(result.notes)
    if result.point_notes:
        doc["point_notes"] = list(result.point_notes)
    return doc


def _name(result: GradResult, i: int) -> str:
    return "f" if not result.is_jacobian else f"f{i + 1}"


def _point_text(result: GradResult) -> str:
    from calctutor.render.diff import show

    return ", ".join(f"{k} = {show(v)}" for k, v in result.point.items())


def to_plain(result: GradResult) -> str:
    from calctutor.render.diff import show

    lines = []
    for i, out in enumerate(result.outputs):
        lines.append(f"{_name(result, i)}({', '.join(result.variables)}) = {show(out)}")
    for note in result.notes:
        lines.append(f"note: {note}")
    lines += ["", "partial derivatives (other variables held fixed):"]
    for i in range(len(result.outputs)):
        for j, name in enumerate(result.variables):
            line = f"  d{_name(result, i)}/d{name} = {show(result.partials[i][j])}"
            if result.values is not None:
                line += f"   = {_text(result.values[i][j])} at the point"
            lines.append(line)
            if result.derivations is not None:
                from calctutor.render.diff import step_line, walk_views, view

                for top in result.derivations[i][j].steps:
                    for v, depth in walk_views(view(top)):
                        lines.append("      " + "  " * depth + f"{v.step.id}  {step_line(v.step, v.collapsed)}")
    lines.append("")
    label = "Jacobian" if result.is_jacobian else "gradient"
    if result.is_jacobian:
        lines.append(f"{label} (rows: outputs, columns: {', '.join(result.variables)}):")
        lines += ["  [" + ", ".join(show(e) for e in row) + "]" for row in result.partials]
        if result.values is not None:
            lines.append(f"at {_point_text(result)}:")
            lines += ["  [" + ", ".join(_text(e) for e in row) + "]" for row in result.values]
    else:
        lines.append(f"gradient: [{', '.join(show(e) for e in result.gradient)}]")
        if result.values is not None:
            lines.append(f"at {_point_text(result)}: [{', '.join(_text(e) for e in result.values[0])}]")
    if result.hessian is not None:
        lines += ["", f"Hessian (second partials, order {', '.join(result.variables)}):"]
        lines += ["  [" + ", ".join(show(e) for e in row) + "]" for row in result.hessian]
        if result.hessian_values is not None:
            lines.append(f"at {_point_text(result)}:")
            lines += ["  [" + ", ".join(_text(e) for e in row) + "]" for row in result.hessian_values]
        lines.append(f"curvature: {result.curvature.summary}")
    if result.directional is not None:
        d = result.directional
        lines += ["", f"direction: {d.note}",
                  f"directional derivative D_u f = grad f . u = "
                  + ", ".join(show(e) for e in d.derivatives)]
        if result.point is not None:
            lines.append(f"at {_point_text(result)}: " + ", ".join(_text(v) for v in d.values))
        if d.steepest is not None:
            lines.append(f"steepest ascent rate |grad f| = {show(d.steepest)} "
                         "(along the gradient); -grad f is the steepest descent")
    if result.point_notes:
        lines.append("")
        lines += [f"at the point: {n}" for n in result.point_notes]
    return "\n".join(lines)


def _matrix_latex(grid) -> str:
    return latex(sympy.Matrix([list(row) for row in grid]))


def to_latex(result: GradResult) -> str:
    lines = []
    if result.is_jacobian:
        lines.append(r"J = " + _matrix_latex(result.partials))
    else:
        lines.append(r"\nabla f = " + _matrix_latex([[e] for e in result.gradient]))
    if result.hessian is not None:
        lines.append(r"H = " + _matrix_latex(result.hessian))
    if result.directional is not None:
        d = result.directional
        lines.append(r"D_{u} f = " + ", ".join(latex(e) for e in d.derivatives))
    return "\n".join(lines)


def to_rich(result: GradResult):
    from calctutor.render.diff import show

    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    parts: list = []
    for i, out in enumerate(result.outputs):
        parts.append(Text.assemble((f"{_name(result, i)}({', '.join(result.variables)}) = ", "bold"),
                                   (show(out), EXPR_STYLE)))
    for note in result.notes:
        parts.append(Text(note, style=NOTE_STYLE))
    table = Table(title="partial derivatives (others held fixed)",
                  title_justify="left", show_edge=False, header_style="bold")
    table.add_column("partial", style=LAYER_STYLE)
    table.add_column("derivative", style=EXPR_STYLE)
    if result.values is not None:
        table.add_column(f"at {_point_text(result)}", style=RESULT_STYLE, justify="right")
    for i in range(len(result.outputs)):
        for j, name in enumerate(result.variables):
            row = [f"∂{_name(result, i)}/∂{name}", show(result.partials[i][j])]
            if result.values is not None:
                row.append(_text(result.values[i][j]))
            table.add_row(*row)
    parts += [Text(""), table]
    if result.derivations is not None:
        from rich.tree import Tree

        from calctutor.render.diff import add_view, view

        for i in range(len(result.outputs)):
            for j, name in enumerate(result.variables):
                tree = Tree(Text(f"∂{_name(result, i)}/∂{name}: steps", style=RULE_STYLE),
                            guide_style=NOTE_STYLE)
                for top in result.derivations[i][j].steps:
                    add_view(tree, view(top))
                parts += [Text(""), tree]
    label = "Jacobian" if result.is_jacobian else "gradient ∇f"
    shown = [Text(label, style="bold"), Text(pretty(sympy.Matrix(
        [list(r) for r in result.partials]) if result.is_jacobian
        else sympy.Matrix(list(result.gradient)).T), style=EXPR_STYLE)]
    if result.values is not None:
        grid = result.values if result.is_jacobian else [result.values[0]]
        if all(e is not None for row in grid for e in row):
            shown += [Text(f"at {_point_text(result)}", style=NOTE_STYLE),
                      Text(pretty(sympy.Matrix([list(r) for r in grid])), style=RESULT_STYLE)]
    parts += [Text(""), Panel(Group(*shown), expand=False, border_style="green")]
    if result.hessian is not None:
        hess = [Text("Hessian (curvature)", style="bold"),
                Text(pretty(sympy.Matrix([list(r) for r in result.hessian])), style=EXPR_STYLE)]
        if result.hessian_values is not None and all(
                e is not None for r in result.hessian_values for e in r):
            hess += [Text(f"at {_point_text(result)}", style=NOTE_STYLE),
                     Text(pretty(sympy.Matrix([list(r) for r in result.hessian_values])),
                          style=RESULT_STYLE)]
        hess.append(Text(result.curvature.summary, style="bold"))
        parts += [Text(""), Panel(Group(*hess), expand=False, border_style="yellow")]
    if result.directional is not None:
        d = result.directional
        body = [Text(d.note, style=NOTE_STYLE),
                Text.assemble(("D_u f = ∇f · u = ", "bold"),
                              (", ".join(show(e) for e in d.derivatives), EXPR_STYLE))]
        if result.point is not None:
            body.append(Text.assemble((f"at {_point_text(result)}: ", NOTE_STYLE),
                                      (", ".join(_text(v) for v in d.values), RESULT_STYLE)))
        if d.steepest is not None:
            body.append(Text(f"steepest ascent: |∇f| = {show(d.steepest)} along ∇f; "
                             "-∇f is the steepest descent", style=NOTE_STYLE))
        parts += [Text(""), Panel(Group(*body), title="directional derivative", expand=False)]
    if result.point_notes:
        parts.append(Text(""))
        parts += [Text(f"at the point: {n}", style=NOTE_STYLE) for n in result.point_notes]
    title = "[bold]Jacobian[/bold]" if result.is_jacobian else "[bold]gradient[/bold]"
    return Panel(Group(*parts), title=title, expand=False)

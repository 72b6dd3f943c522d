"""Renderers for :class:`calctutor.commands.graph.GraphResult`: Rich, plain, JSON,
Mermaid and Graphviz DOT. No calculus here: every number comes from the result."""

from __future__ import annotations

import math

from calctutor.commands.graph import GraphResult
from calctutor.graph.fdcheck import FDTable
from calctutor.numfmt import format_number
from calctutor.parsing import to_input
from calctutor.render.mathtext import EXPR_STYLE, LAYER_STYLE, NOTE_STYLE, RESULT_STYLE, RULE_STYLE


# ── small helpers ───────────────────────────────────────────────────────────────────
def num(x: float | None, digits: int = 6) -> str:
    """A number for people, by the one number formatter."""
    return format_number(x, digits)


def _paren(text: str) -> str:
    """Parentheses around a formula or negative number that would otherwise read wrongly
    inside a product: ``2*g`` → ``(2*g)``, ``-3`` → ``(-3)``, ``cos(u)`` stays."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and ch in "+-*/^ ":
            return f"({text})"
    return text


def json_number(x: float | None) -> float | None:
    """A finite JSON number, or null (never NaN or inf)."""
    if x is None or not math.isfinite(x):
        return None
    return float(x)


def _d(result: GraphResult, top: str, bottom: str, unicode: bool = True) -> str:
    mark = "∂" if unicode else "d"
    return f"{mark}{top}/{mark}{bottom}"


def node_title(result: GraphResult, index: int) -> str:
    """``g = w*x``, ``L = a = g^2``, ``x`` (input), ``2`` (constant)."""
    g = result.graph
    n = g.nodes[index]
    if n.op == "const":
        return to_input(g.symbol(index))
    if n.op == "input":
        return n.id + (" = " + " = ".join(n.aliases) if n.aliases else "")
    names = " = ".join((n.id, *n.aliases))
    return f"{names} = {to_input(g.definition(index))}"


def _kind(result: GraphResult, index: int) -> str:
    n = result.graph.nodes[index]
    if index == result.graph.output:
        return "output"
    if n.op in ("input", "const"):
        return n.op
    return "intermediate"


def _out(result: GraphResult) -> str:
    return result.graph.out.id


def gradient_text(result: GraphResult, unicode: bool = True) -> str:
    out = _out(result)
    nabla = "∇" if unicode else "grad "
    names = ", ".join(_d(result, out, v, unicode) for v in result.variables)
    if result.point is None:
        if not result.symbolic_gradient and result.variables:
            return f"{nabla}{out} = [{names}]  (too large to write out; give --at for numbers)"
        values = ", ".join(to_input(result.symbolic_gradient[v]) for v in result.variables)
    else:
        values = ", ".join(num(x) for x in result.gradient().values())
    return f"{nabla}{out} = [{names}] = [{values}]"


def _plural(k: int, word: str) -> str:
    return f"{k} {word}" + ("" if k == 1 else "s")


def cost_text(result: GraphResult) -> str:
    n = len(result.variables)
    e = len(result.active_edges)
    text = (f"cost: reverse mode = 1 forward pass + 1 backward sweep "
            f"({_plural(e, 'edge product')}) for {'all ' if n > 1 else 'the '}{_plural(n, 'partial')}; forward mode = "
            f"{_plural(n, 'sweep')}, one per input ({_plural(n * e, 'edge product')}). ")
    if n > 1:
        text += ("One output, many inputs (a loss and its weights): reverse mode wins. "
                 "That is backpropagation.")
    else:
        text += "With one input the two cost the same; with many, reverse mode wins."
    return text


def backward_rows(result: GraphResult, unicode: bool = True) -> list[tuple[str, str, str, str]]:
    """One row per multiplication of the backward pass, in the order it happens:
    (step, rule with names, with numbers, running adjoint)."""
    g = result.graph
    out = _out(result)
    dot = "·" if unicode else "*"
    rows = []
    if result.reverse is None:
        # structure only: the same multiplications in symbols, in backward order
        for a, n, k in sorted(result.active_edges, key=lambda t: (-t[1], t[2])):
            child, user = g.nodes[a].id, g.nodes[n].id
            rows.append((str(len(rows) + 1),
                         f"{_d(result, out, child, unicode)} += {_d(result, out, user, unicode)} "
                         f"{dot} {_d(result, user, child, unicode)}",
                         f"{_d(result, user, child, unicode)} = {to_input(result.formulas[(n, k)])}",
                         ""))
        return rows
    for step in result.reverse.trace:
        child, user = g.nodes[step.child].id, g.nodes[step.node].id
        formula = to_input(result.formulas[(step.node, step.position)])
        up, local = _paren(num(float(step.upstream))), num(float(step.local))
        mark = " (convention)" if result.on_kink(step.node) else ""
        numbers = f"{up} {dot} {_paren(formula)} = "
        if formula != local:
            numbers += f"{up} {dot} {_paren(local)}{mark} = "
        rows.append((
            str(len(rows) + 1),
            f"{_d(result, out, child, unicode)} += {_d(result, out, user, unicode)} {dot} "
            f"{_d(result, user, child, unicode)}",
            numbers + num(float(step.contribution)),
            f"{_d(result, out, child, unicode)} = {num(float(step.running))}",
        ))
    return rows


def path_lines(result: GraphResult, unicode: bool = True) -> list[str]:
    """The multivariate chain rule: every route from each input, its product, the sum."""
    g = result.graph
    arrow = " → " if unicode else " -> "
    dot = " · " if unicode else " * "
    out = _out(result)
    lines = []
    for v in result.variables:
        ps = result.paths[v]
        lines.append(f"{_d(result, out, v, unicode)}: {ps.total} path{'s' if ps.total != 1 else ''}")
        for p in ps.paths:
            route = arrow.join(g.nodes[i].id for i in p.nodes)
            factors = dot.join(
                f"{_d(result, g.nodes[n].id, g.nodes[g.nodes[n].args[k]].id, unicode)}"
                for n, k in reversed(p.edges))
            wrap = _paren if len(p.edges) > 1 else str  # one factor needs no brackets
            symbolic = dot.join(wrap(to_input(result.formulas[e])) for e in reversed(p.edges))
            parts = [symbolic or "1"]
            if p.product is not None:
                values = dot.join(wrap(num(result.local(*e))) for e in reversed(p.edges))
                parts += [values or "1", num(p.product)]
            shown = [t for i, t in enumerate(parts) if i == 0 or t != parts[i - 1]]
            lines.append(f"  {route}:  {factors} = " + " = ".join(shown))
        if ps.total > len(ps.paths):
            lines.append(f"  … and {ps.total - len(ps.paths)} more paths")
        if ps.sum is not None and ps.total:
            lines.append(f"  sum over paths = {num(ps.sum)}")
        elif ps.sum is None and ps.total and v in result.symbolic_gradient:
            lines.append(f"  sum over paths = {to_input(result.symbolic_gradient[v])}")
    return lines


def forward_rows(result: GraphResult) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the forward-mode view: each node's value and its tangent in
    each input's sweep."""
    g = result.graph
    header = ["node", "value"] + [f"sweep {i + 1}: d/d{v}" for i, v in enumerate(result.variables)]
    rows = []
    fwd = result.forward
    for n in g.nodes:
        if n.op == "const":
            continue
        row = [node_title(result, n.index), num(result.value(n.index))]
        for v in result.variables:
            t = fwd.tangents[v][n.index] if fwd is not None else None
            row.append(num(0.0 if t is None else float(t)) if fwd is not None else "-")
        rows.append(row)
    return header, rows


def fd_rows(table: FDTable) -> list[list[str]]:
    best_f, best_c = table.best_forward, table.best_central
    rows = []
    for r in table.rows:
        rows.append([f"{r.h:.0e}", num(r.forward, 13), f"{r.forward_error:.1e}"
                     + (" <" if r is best_f else ""),
                     num(r.central, 13), f"{r.central_error:.1e}" + (" <" if r is best_c else "")])
    return rows


# ── JSON ────────────────────────────────────────────────────────────────────────────
def to_json(result: GraphResult) -> dict:
    g = result.graph
    nodes = []
    for n in g.nodes:
        nodes.append({
            "id": n.id,
            "op": n.op,
            "expr": to_input(g.expr(n.index)),
            "value": json_number(result.value(n.index)),
            "grad": json_number(result.grad(n.index)),
            "kind": _kind(result, n.index),
            "definition": to_input(g.definition(n.index)),
            "aliases": list(n.aliases),
            "args": [g.nodes[a].id for a in n.args],
        })
    edges = []
    for a, n, k in g.edges():
        active = g.nodes[a].active
        edges.append({
            "from": g.nodes[a].id,
            "to": g.nodes[n].id,
            "local_derivative": json_number(result.local(n, k)) if active else None,
            "formula": to_input(result.formulas[(n, k)]) if active else None,
            "position": k,
        })
    doc: dict = {
        "input": result.input,
        "nodes": nodes,
        "edges": edges,
        "output": g.out.id,
        "gradient": {v: json_number(x) for v, x in result.gradient().items()},
        "gradient_expr": {v: to_input(e) for v, e in result.symbolic_gradient.items()},
        "mode": result.mode,
        "point": result.point,
        "value": json_number(result.value(g.output)),
        "inputs": list(result.variables),
        "backward": [
            {"from": g.nodes[s.node].id, "to": g.nodes[s.child].id,
             "upstream": json_number(float(s.upstream)), "local": json_number(float(s.local)),
             "product": json_number(float(s.contribution)),
             "adjoint": json_number(float(s.running))}
            for s in (result.reverse.trace if result.reverse is not None else [])
        ],
        "paths": {
            v: {"count": ps.total, "sum": json_number(ps.sum),
                "shown": [{"nodes": [g.nodes[i].id for i in p.nodes],
                           "product": json_number(p.product)} for p in ps.paths]}
            for v, ps in result.paths.items()
        },
        "cost": {"inputs": len(result.variables), "edges": len(result.active_edges),
                 "reverse_sweeps": 1, "forward_sweeps": len(result.variables)},
        "problems": result.messages,
    }
    if result.forward is not None:
        doc["forward"] = {
            v: {g.nodes[i].id: json_number(0.0 if t is None else float(t))
                for i, t in enumerate(result.forward.tangents[v]) if g.nodes[i].op != "const"}
            for v in result.variables
        }
    if result.fd:
        doc["finite_differences"] = {
            v: {"exact": json_number(t.exact),
                "rows": [{"h": r.h, "forward": json_number(r.forward),
                          "forward_error": json_number(r.forward_error),
                          "central": json_number(r.central),
                          "central_error": json_number(r.central_error)} for r in t.rows]}
            for v, t in result.fd.items()
        }
    return doc


# ── Mermaid and DOT ─────────────────────────────────────────────────────────────────
def _label_lines(result: GraphResult, index: int) -> list[str]:
    lines = [node_title(result, index)]
    n = result.graph.nodes[index]
    if result.point is not None:
        parts = [f"value {num(result.value(index))}"]
        if n.active:
            parts.append(f"grad {num(result.grad(index))}")
        lines.append(", ".join(parts))
    return lines


def _edge_label(result: GraphResult, a: int, n: int, k: int) -> str:
    g = result.graph
    if not g.nodes[a].active:
        return ""
    formula = to_input(result.formulas[(n, k)])
    text = f"d{g.nodes[n].id}/d{g.nodes[a].id} = {formula}"
    if result.point is not None and num(result.local(n, k)) != formula:
        text += f" = {num(result.local(n, k))}"
        if result.on_kink(n):
            text += " (convention)"
    return text


def to_mermaid(result: GraphResult) -> str:
    g = result.graph

    def esc(text: str) -> str:
        return text.replace('"', "#quot;")

    lines = ["flowchart BT"]
    for n in g.nodes:
        label = "<br/>".join(esc(t) for t in _label_lines(result, n.index))
        shape = ('(["', '"])') if n.op == "input" else (('[["', '"]]') if n.index == g.output
                                                         else ('["', '"]'))
        lines.append(f"  n_{n.index}{shape[0]}{label}{shape[1]}")
    for a, n, k in g.edges():
        label = _edge_label(result, a, n, k)
        lines.append(f'  n_{a} -->|"{esc(label)}"| n_{n}' if label else f"  n_{a} --> n_{n}")
    return "\n".join(lines)


def to_dot(result: GraphResult) -> str:
    g = result.graph

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace('"', '\\"')

    lines = ["digraph calctutor {", "  rankdir=BT;", '  node [shape=box, fontname="monospace"];']
    for n in g.nodes:
        label = "\\n".join(esc(t) for t in _label_lines(result, n.index))
        style = ", shape=ellipse" if n.op == "input" else (
            ", peripheries=2" if n.index == g.output else (", style=dashed" if n.op == "const" else ""))
        lines.append(f'  n{n.index} [label="{label}"{style}];')
    for a, n, k in g.edges():
        label = _edge_label(result, a, n, k)
        lines.append(f'  n{a} -> n{n} [label="{esc(label)}"];' if label else f"  n{a} -> n{n};")
    lines.append("}")
    return "\n".join(lines)


# ── plain text ──────────────────────────────────────────────────────────────────────
def tree_lines(result: GraphResult, unicode: bool) -> list[str]:
    """The graph drawn from the output down, each node with value and grad; a node
    reached again is marked (shared) instead of drawn twice."""
    g = result.graph
    seen: set[int] = set()
    lines: list[str] = []
    branch, last, pipe, blank = (("├── ", "└── ", "│   ", "    ") if unicode
                                 else ("|-- ", "`-- ", "|   ", "    "))

    def label(i: int) -> str:
        extra = _label_lines(result, i)[1:]
        tag = " [output]" if i == g.output else (" [input]" if g.nodes[i].op == "input" else "")
        return node_title(result, i) + tag + ("   " + extra[0] if extra else "")

    def walk(i: int, prefix: str, edge_text: str, is_last: bool, root: bool) -> None:
        connector = "" if root else (last if is_last else branch)
        via = f"  ({edge_text})" if edge_text else ""
        if i in seen and not g.nodes[i].is_leaf:
            lines.append(f"{prefix}{connector}{g.nodes[i].id} (shared, shown above){via}")
            return
        seen.add(i)
        lines.append(f"{prefix}{connector}{label(i)}{via}")
        args = g.nodes[i].args
        child_prefix = prefix + ("" if root else (blank if is_last else pipe))
        for k, a in enumerate(args):
            walk(a, child_prefix, _edge_label(result, a, i, k), k == len(args) - 1, False)

    walk(g.output, "", "", True, True)
    return lines


def to_plain(result: GraphResult) -> str:
    g = result.graph
    out = []
    out.append(f"computational graph of: {result.input}")
    if result.point_text:
        out.append("at " + ", ".join(f"{k} = {v}" for k, v in result.point_text.items()))
    out.append("")
    out.append("graph (from the output down; edges show the local derivative d(user)/d(arg)):")
    out += ["  " + line for line in tree_lines(result, unicode=False)]
    out.append("")
    rows = backward_rows(result, unicode=False)
    title = ("backward pass (reverse mode, in order):" if result.point is not None
             else "backward pass in symbols (give --at for numbers):")
    out.append(title)
    out.append(f"  seed: d{_out(result)}/d{_out(result)} = 1")
    for step, rule, numbers, running in rows:
        out.append(f"  {step:>3}. {rule}   {numbers}" + (f"   -> {running}" if running else ""))
    out.append("")
    out.append("paths (multivariate chain rule: sum over paths of products along each):")
    out += ["  " + line for line in path_lines(result, unicode=False)]
    if result.point is not None:
        out.append("")
        header, frows = forward_rows(result)
        out.append("forward mode (one sweep per input; each column is d(node)/d(input)):")
        out += _plain_table(header, frows)
    out.append("")
    out.append(cost_text(result))
    out.append("")
    out.append(gradient_text(result, unicode=False))
    if result.point is not None:
        out.append(f"value: {_out(result)} = {num(result.value(g.output))}")
    for message in result.messages:
        out.append(f"warning: {message}")
    if result.fd:
        for v, table in result.fd.items():
            out.append("")
            out.append(f"finite differences for d{_out(result)}/d{v} (exact {num(table.exact)}; "
                       "'<' marks the smallest error):")
            out += _plain_table(["h", "forward", "error", "central", "error"], fd_rows(table))
    return "\n".join(out)


def _plain_table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = lambda r: "  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return [fmt(header), "  " + "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]


# ── Rich ────────────────────────────────────────────────────────────────────────────
def rich_tree(result: GraphResult):
    from rich.text import Text
    from rich.tree import Tree

    g = result.graph
    seen: set[int] = set()

    def label(i: int, edge: str) -> Text:
        n = g.nodes[i]
        t = Text()
        if i in seen and not n.is_leaf:
            t.append(n.id, style="bold")
            t.append(" (shared, shown above)", style=NOTE_STYLE)
        else:
            style = NOTE_STYLE if n.op == "const" else ("bold" if n.op == "input" else EXPR_STYLE)
            t.append(node_title(result, i), style=style)
            if i == g.output:
                t.append("  output", style=RULE_STYLE)
            elif n.op == "input":
                t.append("  input", style=RULE_STYLE)
            if result.point is not None and n.op != "const":
                t.append(f"  value {num(result.value(i))}", style=RESULT_STYLE)
                if n.active:
                    t.append(f"  grad {num(result.grad(i))}", style=LAYER_STYLE)
        if edge:
            t.append(f"   {edge}", style=NOTE_STYLE)
        return t

    def add(parent, i: int, edge: str):
        again = i in seen
        node = parent.add(label(i, edge))
        if again and not g.nodes[i].is_leaf:
            return
        seen.add(i)
        for k, a in enumerate(g.nodes[i].args):
            add(node, a, _edge_label(result, a, i, k).replace("d", "∂", 1).replace("/d", "/∂", 1))

    root = Tree(label(g.output, ""), guide_style=NOTE_STYLE)
    seen.add(g.output)
    for k, a in enumerate(g.nodes[g.output].args):
        add(root, a, _edge_label(result, a, g.output, k).replace("d", "∂", 1).replace("/d", "/∂", 1))
    return root


def rich_backward_table(result: GraphResult):
    """The backward pass as a Rich table: one multiplication per row, in order."""
    from rich.table import Table

    out = _out(result)
    table = Table(title=f"backward pass: seed ∂{out}/∂{out} = 1, then each edge in reverse order",
                  title_justify="left", show_edge=False, header_style="bold")
    table.add_column("#", justify="right", style=NOTE_STYLE)
    table.add_column("chain rule", style=EXPR_STYLE)
    table.add_column("numbers" if result.point is not None else "local derivative")
    if result.point is not None:
        table.add_column("adjoint so far", style=LAYER_STYLE)
    for row in backward_rows(result):
        table.add_row(*(row if result.point is not None else row[:3]))
    return table


def to_rich(result: GraphResult):
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    g = result.graph
    out = _out(result)
    parts = []
    head = Text("computational graph of ", style=NOTE_STYLE)
    head.append(result.input, style=EXPR_STYLE)
    if result.point_text:
        head.append("   at ", style=NOTE_STYLE)
        head.append(", ".join(f"{k} = {v}" for k, v in result.point_text.items()), style="bold")
    parts += [head, Text(""), rich_tree(result), Text("")]

    backward = rich_backward_table(result)

    paths = Text("\n".join(path_lines(result)))
    paths_panel = Panel(paths, title="paths: ∂out/∂x = Σ over paths of the product along each",
                        title_align="left", border_style=NOTE_STYLE)

    forward = None
    if result.point is not None:
        header, rows = forward_rows(result)
        forward = Table(title="forward mode: one sweep per input (tangents)",
                        title_justify="left", show_edge=False, header_style="bold")
        for i, h in enumerate(header):
            forward.add_column(h, justify="left" if i == 0 else "right")
        for r in rows:
            forward.add_row(*r)

    views = [backward, paths_panel]
    if forward is not None:
        views = views + [forward] if result.mode == "reverse" else [forward] + views
    for view in views:
        parts += [view, Text("")]
    parts += [Text(cost_text(result), style=NOTE_STYLE), Text("")]
    grad = Text(gradient_text(result), style=RESULT_STYLE)
    parts.append(grad)
    if result.point is not None:
        parts.append(Text(f"value: {out} = {num(result.value(g.output))}", style=RESULT_STYLE))
    for message in result.messages:
        parts.append(Text(f"warning: {message}", style="yellow"))
    if result.fd:
        for v, table in result.fd.items():
            t = Table(title=f"finite differences for ∂{out}/∂{v}, exact {num(table.exact)} "
                            "(error falls with h, then rises: truncation vs cancellation)",
                      title_justify="left", show_edge=False, header_style="bold")
            for h in ("h", "forward", "error", "central", "error"):
                t.add_column(h, justify="right")
            for r in fd_rows(table):
                t.add_row(*r)
            parts += [Text(""), t]
    return Panel(Group(*parts), title="[bold]graph and backpropagation[/bold]", expand=False)

"""The graph builder, the backward-pass views and the syllabus's worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

from calctutor.commands.diff_graph import linked_result
from calctutor.commands.graph import run_graph
from calctutor.errors import CalcError
from calctutor.graph import (
    GraphError,
    build_graph,
    forward_mode,
    graph_from_text,
    reverse_mode,
)
from calctutor.graph.paths import count_paths, paths_to_output
from calctutor.parsing import parse
from calctutor.render import graph as view
from calctutor.render import linked
from conftest import R


# ── syllabus §7, §3, §12, §6 ────────────────────────────────────────────────────────
def test_neuron_backprop_gives_24():
    g = graph_from_text("g = w x; a = g^2; L = a")
    rev = reverse_mode(g, {"w": 3, "x": 2}, keep=True)
    assert float(rev.values[g.node("g").index]) == 6
    assert float(rev.gradient["w"]) == 24
    assert float(forward_mode(g, {"w": 3, "x": 2}).gradient["w"]) == 24
    # dL/dw = 1 · 2g · x: the multiplications in order
    steps = [(g.nodes[s.node].id, g.nodes[s.child].id, float(s.upstream), float(s.local))
             for s in rev.trace]
    assert steps[0] == ("L", "g", 1.0, 12.0)
    assert ("g", "w", 12.0, 2.0) in steps


def test_chain_rule_example_975_by_hand_and_by_autodiff():
    g = graph_from_text("y = 2x^3 + 3; z = y^2")
    by_hand = 12 * 0.5 ** 2 * (2 * 0.5 ** 3 + 3)
    assert by_hand == 9.75
    assert float(reverse_mode(g, {"x": 0.5}).gradient["x"]) == 9.75
    assert float(forward_mode(g, {"x": 0.5}).gradient["x"]) == 9.75


def test_sum_of_squares_gradient_246():
    result = run_graph("x1^2 + x2^2 + x3^2", at="1,2,3")
    assert result.gradient() == {"x1": 2.0, "x2": 4.0, "x3": 6.0}
    doc = view.to_json(result)
    assert doc["gradient"] == {"x1": 2.0, "x2": 4.0, "x3": 6.0}


def test_multivariate_chain_rule_paths_sum():
    g = graph_from_text("u = x^2; v = 3x; z = u + v")
    rev = reverse_mode(g, {"x": 2.0}, keep=True)
    ps = paths_to_output(g, "x", rev.locals)
    assert ps.total == 2
    assert sorted(p.product for p in ps.paths) == [3.0, 4.0]  # 3 and 2x at x = 2
    assert ps.sum == 7.0 == float(rev.gradient["x"])  # 2x + 3
    result = run_graph("u = x^2; v = 3x; z = u + v")
    assert result.symbolic_gradient["x"] == 2 * R("x") + 3


# ── structure ───────────────────────────────────────────────────────────────────────
def test_shared_subexpression_is_one_node_with_two_out_edges():
    g = graph_from_text("sin(x) + sin(x)^2")
    sins = [n for n in g.nodes if n.op == "sin"]
    assert len(sins) == 1
    assert len(g.users(sins[0].index)) == 2
    x = R("x")
    ev = reverse_mode(g, {"x": 0.7})
    assert float(ev.gradient["x"]) == pytest.approx(math.cos(0.7) * (1 + 2 * math.sin(0.7)))


def test_program_names_and_topological_u_names():
    g = graph_from_text("p = x y; q = sin(p) + p")
    assert g.node("p").op == "mul"
    assert len(g.users(g.node("p").index)) == 2
    assert g.out.id == "q"
    e = graph_from_text("exp(sin(x^2))")
    names = [n.id for n in e.nodes if not n.is_leaf]
    assert names == ["u1", "u2", "f"]
    assert e.sub_expressions() == {"u1": R("x") ** 2, "u2": sympy.sin(R("x") ** 2),
                                   "f": sympy.exp(sympy.sin(R("x") ** 2))}
    for n in e.nodes:  # topological: every argument comes first
        assert all(a < n.index for a in n.args)


def test_alias_definition_names_the_output():
    g = graph_from_text("g = w x; a = g^2; L = a")
    assert g.out.id == "L" and g.out.aliases == ("a",)
    assert g.node("a") is g.out


def test_sub_div_sqrt_exp_nodes():
    ops = {n.op for n in graph_from_text("(x - y)/(x + y) + sqrt(x) + e^y").nodes}
    assert {"sub", "div", "sqrt", "exp", "add"} <= ops


def test_layer_names_from_the_step_engine_name_matching_nodes():
    x = R("x")
    expr = parse("sin(2x + 3)^2", evaluate=False)
    g = build_graph(expr, layer_names={2 * x + 3: "u", sympy.sin(2 * x + 3): "v"})
    assert g.node("u").op == "add" and g.node("v").op == "sin"
    assert g.node_for_expr(sympy.sin(2 * x + 3)).id == "v"


def test_unsupported_objects_are_a_clean_error():
    with pytest.raises(GraphError):
        build_graph(sympy.gamma(R("x")))


def test_path_counting_does_not_enumerate_everything():
    # each layer doubles the routes: x -> (a+a) ... 2^20 paths, counted, 12 listed
    text = "; ".join(["a1 = sin(x) + cos(x)"] + [f"a{i} = sin(a{i-1}) + cos(a{i-1})"
                                                for i in range(2, 21)])
    g = graph_from_text(text)
    assert count_paths(g)[g.inputs["x"]] == 2 ** 20
    rev = reverse_mode(g, {"x": 0.3}, keep=True)
    ps = paths_to_output(g, "x", rev.locals, limit=12)
    assert len(ps.paths) == 12
    assert ps.sum == pytest.approx(float(rev.gradient["x"]), rel=1e-12)


# ── the command and its views ───────────────────────────────────────────────────────
def test_run_graph_without_point_has_null_values():
    result = run_graph("g = w x; a = g^2; L = a")
    doc = view.to_json(result)
    assert all(n["value"] is None and n["grad"] is None for n in doc["nodes"])
    assert doc["output"] == "L"
    assert {e["formula"] for e in doc["edges"] if e["formula"]} == {"x", "w", "2*g"}
    assert doc["gradient"] == {"w": None, "x": None}


def test_json_shape_per_cli_contract():
    doc = view.to_json(run_graph("g = w x; a = g^2; L = a", at="w=3,x=2"))
    assert set(doc) >= {"nodes", "edges", "output", "gradient"}
    for n in doc["nodes"]:
        assert set(n) >= {"id", "op", "expr", "value", "grad"}
    for e in doc["edges"]:
        assert set(e) >= {"from", "to", "local_derivative"}
    ids = {n["id"] for n in doc["nodes"]}
    assert doc["output"] in ids
    assert all(e["from"] in ids and e["to"] in ids for e in doc["edges"])
    edge = next(e for e in doc["edges"] if e["from"] == "g")
    assert edge["local_derivative"] == 12.0
    assert doc["gradient"] == {"w": 24.0, "x": 36.0}


def test_undefined_values_are_null_and_explained():
    result = run_graph("ln(x) + y", at="x=-1,y=2")
    doc = view.to_json(result)
    # no value at the point, so no derivative either (and JSON stays valid: null)
    assert doc["gradient"] == {"x": None, "y": None}
    assert doc["value"] is None
    assert any("ln" in p for p in doc["problems"])
    assert "warning" in view.to_plain(result)


def test_bad_point_is_a_user_error():
    with pytest.raises(CalcError):
        run_graph("x + y", at="x=1")
    with pytest.raises(CalcError):
        run_graph("x + y", at="x=1,y=2,z=3")
    with pytest.raises(CalcError):
        run_graph("x", mode="sideways")


def test_plain_mermaid_dot_show_values_and_derivatives():
    result = run_graph("g = w x; a = g^2; L = a", at="w=3,x=2", fd=True)
    plain = view.to_plain(result)
    assert "dL/dw = 24" in plain and "1 * (2*g) = 1 * 12 = 12" in plain
    assert "finite differences" in plain
    mermaid = view.to_mermaid(result)
    assert mermaid.startswith("flowchart") and "dL/dg = 2*g = 12" in mermaid
    dot = view.to_dot(result)
    assert dot.startswith("digraph") and "dg/dw = x = 2" in dot
    assert plain.isascii()


def test_finite_difference_error_falls_then_rises():
    result = run_graph("sin(x) exp(x)", at="x=1", fd=True)
    table = result.fd["x"]
    errors = [r.central_error for r in table.rows]
    best = min(range(len(errors)), key=errors.__getitem__)
    assert 0 < best < len(errors) - 1
    assert errors[0] > errors[best] < errors[-1]
    assert table.best_forward.h > 1e-12 and table.best_forward.h < 1e-4


def test_linked_view_uses_layer_letters():
    x = R("x")
    expr = parse("sin(2x+3)^2", evaluate=False)
    result = linked_result(expr, {"x": 1}, {2 * x + 3: "u"})
    text = linked.to_plain(result)
    assert "u = u1 + 3" in text
    assert result.graph.node_for_expr(2 * x + 3).id == "u"
    assert float(result.reverse.gradient["x"]) == pytest.approx(
        4 * math.sin(5) * math.cos(5))

"""``diff --graph``: the derivation's chain letters and the graph's nodes are one."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli

from calctutor.commands.diff_graph import run_diff_graph
from calctutor.errors import CalcError


def test_chain_letters_name_the_graph_nodes_and_values_agree():
    linked = run_diff_graph("sin(2x + 3)^2", at="x=1")
    assert set(linked.layer_nodes) == {"u", "v"}
    names = {node.name for node in linked.graph.graph.nodes if getattr(node, "name", None)}
    assert {"u", "v"} <= names
    symbolic = linked.diff.value_number
    assert symbolic == pytest.approx(linked.graph.gradient()["x"], rel=1e-12)


def test_the_syllabus_program_agrees_by_hand_and_by_autodiff():
    linked = run_diff_graph("y = 2x^3 + 3; z = y^2", at="x=0.5")
    assert linked.diff.value_number == pytest.approx(9.75)
    assert linked.graph.gradient()["x"] == pytest.approx(9.75)


def test_graph_needs_a_point():
    with pytest.raises(CalcError, match="--at"):
        run_diff_graph("sin(x^2)")


def test_cli_json_carries_both_views():
    out = run_cli("diff", "sin((4x)^2)", "--at", "x=0.25", "--graph", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert "steps" in doc and "graph" in doc
    assert doc["graph"]["gradient"]["x"] == pytest.approx(doc["value"], rel=1e-12)
    plain = run_cli("diff", "sin((4x)^2)", "--at", "x=0.25", "--graph", "--plain")
    assert plain.returncode == 0 and plain.stdout.isascii()

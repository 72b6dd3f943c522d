"""``calctutor graph`` through the CLI, in-process with Typer's CliRunner (width 120)."""

from __future__ import annotations

import json

from conftest import run_cli

def run(*args: str, stdin: str | None = None):
    return run_cli("graph", *args, stdin=stdin, width=120)


def test_json_neuron_example():
    proc = run("g = w x; a = g^2; L = a", "--at", "w=3,x=2", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["gradient"] == {"w": 24.0, "x": 36.0}
    assert doc["output"] == "L"
    nodes = {n["id"]: n for n in doc["nodes"]}
    assert nodes["g"]["value"] == 6.0 and nodes["g"]["grad"] == 12.0
    assert nodes["L"]["expr"] == "(w*x)^2"


def test_json_is_valid_without_point_and_at_undefined_points():
    for args in (["ln(x) * y"], ["ln(x) * y", "--at", "x=0,y=1"], ["sqrt(x)", "--at", "0"]):
        proc = run(*args, "--json")
        assert proc.returncode == 0, proc.stderr
        doc = json.loads(proc.stdout)  # json.loads rejects NaN only with a hook:
        json.dumps(doc, allow_nan=False)


def test_rich_and_plain_views_and_forward_mode():
    rich = run("y = 2x^3 + 3; z = y^2", "--at", "x=0.5")
    assert rich.returncode == 0 and "9.75" in rich.stdout and "backward pass" in rich.stdout
    plain = run("x1^2 + x2^2 + x3^2", "--at", "1,2,3", "--mode", "forward", "--plain", "--fd")
    assert plain.returncode == 0
    assert "grad f = [df/dx1, df/dx2, df/dx3] = [2, 4, 6]" in plain.stdout
    assert "forward mode" in plain.stdout and "finite differences" in plain.stdout
    assert plain.stdout.isascii()


def test_mermaid_dot_and_stdin():
    mermaid = run("-", "--mermaid", stdin="sin(x) + sin(x)^2\n")
    assert mermaid.returncode == 0 and mermaid.stdout.startswith("flowchart")
    dot = run("u = x^2; v = 3x; z = u + v", "--at", "2", "--dot")
    assert dot.returncode == 0 and "dz/du = 1" in dot.stdout and dot.stdout.startswith("digraph")


def test_bad_input_exits_2_without_traceback():
    for args in (["x +"], ["x + y", "--at", "x=1"], ["x", "--mode", "sideways"],
                 ["x", "--json", "--dot"]):
        proc = run(*args)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr and "error" in proc.stderr

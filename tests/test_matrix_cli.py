"""grad / check / graph with --shape, through the Typer app (CliRunner)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import calctutor.cli.commands  # noqa: F401 - registers the commands
from calctutor.cli.app import app
from calctutor.matrix.parser import parse_matrix
from calctutor.matrix.shapes import parse_shapes
from calctutor.matrix.simplify import simplify

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})


def grad_json(*args: str) -> dict:
    res = invoke("grad", "--json", *args)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_grad_json_document_matches_cli_md():
    doc = grad_json("x^T A x", "--wrt", "x", "--shape", "x=n", "--shape", "A=nxn")
    for key in ("input", "wrt", "shapes", "kind", "result", "result_shape", "latex", "steps",
                "verified"):
        assert key in doc
    assert doc["kind"] == "gradient"
    assert doc["result"] == "(A + A^T) x"
    assert doc["result_shape"] == ["n", 1]
    assert doc["shapes"] == {"A": ["n", "n"], "x": ["n", 1]}
    assert doc["verified"]["draws"] == 5 and doc["verified"]["max_relative_error"] < 1e-6
    assert {"rule", "expr", "result", "shape", "substeps"} <= set(doc["steps"][0])
    assert doc["steps"][0]["rule"] == "quadratic form"
    assert "PyTorch" in doc["layout"]


def test_result_pastes_back():
    doc = grad_json("||X w - y||^2", "--wrt", "w", "--shape", "X=mxn", "--shape", "w=n",
                    "--shape", "y=m")
    assert doc["result"] == "2 X^T (X w - y)"
    decls = parse_shapes(["X=mxn", "w=n", "y=m"])
    again = grad_json(doc["result"], "--wrt", "w", "--shape", "X=mxn", "--shape", "w=n",
                      "--shape", "y=m")
    assert simplify(parse_matrix(again["input"], decls)) == simplify(parse_matrix(doc["result"], decls))


def test_symmetric_gives_the_teacher_form():
    doc = grad_json("x^T A x", "--shape", "x=n", "--shape", "A=nxn", "--symmetric", "A",
                    "--wrt", "x")
    assert doc["result"] == "2 A x"
    doc = grad_json("x^T A x", "--shape", "x=n", "--shape", "A=nxn,sym", "--wrt", "x")
    assert doc["result"] == "2 A x"


def test_jacobian_rows_are_outputs():
    doc = grad_json("A x", "--wrt", "x", "--shape", "A=2x3", "--shape", "x=3")
    assert doc["kind"] == "jacobian" and doc["result"] == "A" and doc["result_shape"] == [2, 3]
    assert "Aᵀ" in doc["identity"]  # the gradient-layout transpose is stated


def test_softmax_cross_entropy_says_when_it_is_softmax_minus_y():
    doc = grad_json("--wrt", "z", "--shape", "z=n", "--shape", "y=n", "--", "-y^T log(softmax(z))")
    assert doc["result"] == "sum(y) softmax(z) - y"
    assert any("softmax(z) − y" in n for n in doc["notes"])
    doc = grad_json("--wrt", "z", "--shape", "z=n", "--shape", "y=n,prob", "--", "-y^T log(softmax(z))")
    assert doc["result"] == "softmax(z) - y"


def test_grad_text_shows_steps_shapes_and_verification():
    res = invoke("grad", "x^T A x", "--wrt", "x", "--shape", "x=n", "--shape", "A=nxn", "--plain")
    assert res.exit_code == 0
    out = res.stdout
    assert "(A + A^T) x  : nx1" in out
    assert "quadratic form" in out and "chain rule through a matrix product" in out
    assert "verified at 5 random draws" in out and "n = 2" in out and "n = 4" in out
    assert "PyTorch" in out


def test_norm_rule_says_undefined_at_zero():
    res = invoke("grad", "||x||", "--shape", "x=3", "--plain")
    assert res.exit_code == 0
    assert "x / ||x||" in res.stdout and "not differentiable where u = 0" in res.stdout


def test_expand_compares_each_component_with_sympy():
    doc = grad_json("x^T A x", "--wrt", "x", "--shape", "x=2", "--shape", "A=2x2", "--expand")
    comps = doc["components"]
    assert len(comps) == 2 and all(c["equal"] for c in comps)
    assert comps[0]["entry"] == "∂f/∂x_1"
    assert "A_12" in comps[0]["ours"] and "A_21" in comps[0]["ours"]


def test_expand_needs_concrete_sizes():
    res = invoke("grad", "x^T x", "--shape", "x=n", "--expand")
    assert res.exit_code == 2 and "concrete size" in res.stderr


def test_latex_output():
    res = invoke("grad", "log(det(X))", "--shape", "X=nxn", "--latex")
    assert res.exit_code == 0
    assert res.stdout.strip() == r"\nabla_{X} \left(\log\left(\det\left(X\right)\right)\right) = X^{-\top}"


@pytest.mark.parametrize("args,message", [
    (["A x", "--shape", "A=3x3", "--shape", "x=2"], "A x: A is 3×3 but x has 2 rows"),
    (["x^T B x", "--shape", "x=3"], "unknown name 'B'"),
    (["x^T x", "--shape", "x=3", "--at", "x=1"], "--at cannot be combined with --shape"),
    (["x^T x", "--shape", "x"], "write a shape as NAME=SIZE"),
    (["x^T y", "--shape", "x=3", "--shape", "y=3"], "say which one with --wrt"),
    (["W x", "--wrt", "W", "--shape", "W=2x3", "--shape", "x=3"], "3-index array"),
])
def test_bad_input_exits_2_with_one_message(args, message):
    res = invoke("grad", *args)
    assert res.exit_code == 2
    assert message in res.stderr
    assert "Traceback" not in res.output


def test_shape_error_shows_a_caret():
    res = invoke("grad", "A x", "--shape", "A=3x3", "--shape", "x=2")
    lines = res.stderr.splitlines()
    assert lines[1].strip() == "A x" and lines[2].strip() == "^"


# ------------------------------------------------------------------ check --shape

def check(*args: str):
    res = invoke("check", "--json", *args)
    return res.exit_code, json.loads(res.stdout)


def test_check_2Ax_is_wrong_unless_symmetric():
    code, doc = check("x^T A x", "2 A x", "--wrt", "x", "--shape", "x=n", "--shape", "A=nxn")
    assert code == 1 and doc["correct"] is False
    assert doc["matrix_mistake"] == "symmetric_only"
    assert "symmetric" in doc["message"] and doc["expected"] == "(A + A^T) x"
    code, doc = check("x^T A x", "2 A x", "--wrt", "x", "--shape", "x=n", "--shape", "A=nxn,sym")
    assert code == 0 and doc["correct"] is True
    code, doc = check("x^T A x", "2 A x", "--wrt", "x", "--shape", "x=n", "--shape", "A=nxn",
                      "--symmetric", "A")
    assert code == 0


def test_check_accepts_equal_forms():
    code, doc = check("||X w - y||^2", "2 X^T X w - 2 X^T y", "--wrt", "w", "--shape", "X=mxn",
                      "--shape", "w=n", "--shape", "y=m")
    assert code == 0 and doc["witnesses"]["numeric"] == "equal"
    code, doc = check("x^T A x", "A x + A^T x", "--wrt", "x", "--shape", "x=3", "--shape", "A=3x3")
    assert code == 0


@pytest.mark.parametrize("function,answer,shapes,detail,mistake", [
    ("tr(A X)", "A", ["X=nxn", "A=nxn"], "transposed", "unknown"),
    ("a^T x", "a^T", ["x=n", "a=n"], "transposed", "unknown"),
    ("||x||^2", "x", ["x=n"], "constant_factor", "constant_rule"),
    ("||x||^2", "-2 x", ["x=n"], "sign", "sign"),
    ("x^T A x", "A x", ["x=n", "A=nxn"], None, "unknown"),
    ("||x||^2", "2 x^T x", ["x=n"], "shape", "unknown"),
])
def test_check_names_the_slip(function, answer, shapes, detail, mistake):
    args = ["--wrt", shapes[0].split("=")[0]]
    for s in shapes:
        args += ["--shape", s]
    code, doc = check(*args, "--", function, answer)
    assert code == 1
    assert doc["matrix_mistake"] == detail and doc["mistake"] == mistake


@pytest.mark.parametrize("extra", [["--order", "2"], ["--task", "equivalent"]])
def test_check_shape_refuses_scalar_only_options(extra):
    res = invoke("check", "x^T x", "2 x", "--shape", "x=n", *extra)
    assert res.exit_code == 2 and "cannot be combined with --shape" in res.stderr


def test_check_plain_text():
    res = invoke("check", "x^T A x", "2 A x", "--wrt", "x", "--shape", "x=n", "--shape", "A=nxn")
    assert res.exit_code == 1
    assert "right only when A is symmetric" in res.stdout


# ------------------------------------------------------------------ graph --shape

PROGRAM = "h = W x + b; a = sigmoid(h); L = ||a - y||^2"
SHAPES = ["--shape", "W=3x2", "--shape", "x=2", "--shape", "b=3", "--shape", "y=3"]


def test_graph_with_shapes_json():
    res = invoke("graph", PROGRAM, *SHAPES, "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    nodes = {n["id"]: n for n in doc["nodes"]}
    assert nodes["W"]["shape"] == [3, 2] and nodes["h"]["shape"] == [3, 1]
    assert nodes["L"]["shape"] == [1, 1]
    edges = {(e["from"], e["to"]): e for e in doc["edges"]}
    assert edges[("W", "h")]["backward"] == "dL_dh x^T"
    assert edges[("x", "h")]["backward"] == "W^T dL_dh"
    assert edges[("h", "a")]["backward"] == "dL_da .* a .* (1 - a)"
    assert edges[("a", "L")]["backward"] == "2 (a - y)"
    assert doc["verified"]["ok"] is True
    # dL/dW = δ xᵀ numerically
    delta = np.array(nodes["h"]["grad"])
    x = np.array(nodes["x"]["value"])
    assert np.allclose(np.array(doc["gradient"]["W"]), delta @ x.T, rtol=1e-6)


def test_graph_values_are_seeded():
    a = json.loads(invoke("graph", PROGRAM, *SHAPES, "--json").stdout)
    b = json.loads(invoke("graph", PROGRAM, *SHAPES, "--json").stdout)
    c = json.loads(invoke("graph", PROGRAM, *SHAPES, "--json", "--seed", "7").stdout)
    assert a == b and a["nodes"][0]["value"] != c["nodes"][0]["value"]


def test_graph_text_shows_shapes_and_matrix_products():
    res = invoke("graph", PROGRAM, *SHAPES, "--plain")
    assert res.exit_code == 0
    assert "h = W x + b  : 3x1" in res.stdout
    assert "dL_dW = dL_dh x^T  : 3x2" in res.stdout
    assert "verified" in res.stdout


def test_graph_output_must_be_scalar():
    res = invoke("graph", "h = W x", "--shape", "W=3x2", "--shape", "x=2")
    assert res.exit_code == 2 and "scalar loss" in res.stderr


def test_graph_error_caret_points_into_the_program():
    res = invoke("graph", "h = W y; L = ||h||^2", "--shape", "W=3x2", "--shape", "y=3")
    assert res.exit_code == 2
    lines = res.stderr.splitlines()
    assert "W y: W is 3×2 but y has 3 rows" in lines[0]
    assert lines[2].index("^") == lines[1].index("y;")


def test_help_still_lists_shape_without_importing_numpy():
    res = invoke("grad", "--help")
    assert res.exit_code == 0 and "--shape" in res.stdout


@pytest.mark.parametrize("program,shapes,edges", [
    ("z = W x + b; p = softmax(z); L = -y^T log(p)",
     ["W=3x2", "x=2", "b=3", "y=3,prob"],
     {("p", "L"): "-(y ./ p)", ("z", "p"): "p .* dL_dp - (dL_dp^T p) p",
      ("W", "z"): "dL_dz x^T"}),
    ("h = relu(W1 x); s = w2^T h; L = (s - t)^2",
     ["W1=4x3", "x=3", "w2=4", "t=1"],
     {("W1", "h"): "(dL_dh .* step(W1 x)) x^T", ("h", "s"): "dL_ds w2",
      ("s", "L"): "2 (s - t)"}),
])
def test_graph_programs_verify_and_read_as_matrix_products(program, shapes, edges):
    args = ["graph", "--json", "--seed", "3"]
    for s in shapes:
        args += ["--shape", s]
    res = invoke(*args, "--", program)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["verified"]["ok"] and doc["verified"]["max_relative_error"] < 1e-5
    got = {(e["from"], e["to"]): e["backward"] for e in doc["edges"]}
    for key, formula in edges.items():
        assert got[key] == formula


@pytest.mark.e2e
def test_installed_command_grad_with_shapes():
    import shutil
    import subprocess
    import sys

    exe = shutil.which("calctutor")
    cmd = [exe] if exe else [sys.executable, "-m", "calctutor"]
    proc = subprocess.run([*cmd, "grad", "x^T A x", "--wrt", "x", "--shape", "x=n",
                           "--shape", "A=nxn", "--json"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["result"] == "(A + A^T) x" and doc["verified"]["ok"] is True
    assert doc["verified"]["autodiff"]["max_relative_error"] < 1e-9

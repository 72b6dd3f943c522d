"""Notebooks: the Python API in-process, and a real notebook executed in a real kernel
(nbclient + ipykernel) with %load_ext calctutor and the line magics."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from calctutor import api
from calctutor.errors import CalcError


def test_api_runs_the_cli_command_and_keeps_its_json():
    r = api.diff("sin(x^2)", at=1)
    assert r.json["derivative"] == "2*x*cos(x^2)"
    assert r.argv == ["sin(x^2)", "--at", "1"]
    import sympy

    x = sympy.Symbol("x", real=True)
    assert r.result.derivative == 2 * x * sympy.cos(x ** 2)


def test_api_result_displays_as_html_latex_and_markdown():
    r = api.diff("sin((4x)^2)")
    html = r._repr_html_()
    assert "<pre" in html and "chain rule" in html
    latex = r._repr_latex_()
    assert latex.startswith("$$") and r"\cos" in latex
    assert r._repr_markdown_().startswith("```text\n") and "chain rule" in r._repr_markdown_()


def test_api_options_are_the_cli_options():
    assert api.grad("x^2 + 3y^2", at="x=1,y=2", hessian=True).json["hessian_value"] == [[2, 0], [0, 6]]
    assert api.check("sin(x^2)", "cos(x^2)").json["mistake"] == "missing_chain_factor"
    assert api.check("cos x", "-sin x").json["correct"] is True
    assert api.descend("x^2 + 3y^2", from_="x=1,y=2", method="newton").json["outcome"] == "converged"


def test_api_refusals_are_calctutor_errors_with_the_caret():
    with pytest.raises(CalcError) as info:
        api.diff("sin(")
    assert "^" in str(info.value) and "Traceback" not in str(info.value)
    with pytest.raises(CalcError, match="No such option"):
        api.diff("x", bogus=1)
    with pytest.raises(CalcError, match="unknown command"):
        api.run("repl")


def test_importing_the_api_imports_neither_sympy_nor_ipython():
    code = ("import sys, calctutor.api, calctutor.jupyter; "
            "print(sorted(m for m in ('sympy', 'numpy', 'IPython') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _notebook(cells: list[str]):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def test_a_real_notebook_runs_the_magics_in_a_kernel():
    from nbclient import NotebookClient

    nb = _notebook([
        "%load_ext calctutor",
        "%diff sin(x^2)",
        '%grad "x^2 + 3y^2" --at x=1,y=2 --hessian',
        '%check "sin(x^2)" "cos(x^2)"',
        "from calctutor import api\nr = api.taylor('e^x', at=0, order=2, eval='0.1,1')\nr",
        "print(r.json['polynomial'])",
        '%diff "sin("',
    ])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=False).execute()
    outputs = [cell.outputs for cell in nb.cells]
    diff_out = outputs[1][0]
    assert diff_out.output_type == "execute_result"
    assert "text/html" in diff_out.data and "text/latex" in diff_out.data
    assert "2 x" in diff_out.data["text/latex"] and "chain rule" in diff_out.data["text/html"]
    assert "curvature" in outputs[2][0].data["text/html"] or "bowl" in outputs[2][0].data["text/html"]
    assert "missing_chain_factor" in outputs[3][0].data["text/html"] or \
        "inner" in outputs[3][0].data["text/html"]
    assert "text/html" in outputs[4][0].data
    printed = "".join(o.get("text", "") for o in outputs[5])
    assert printed.strip() in ("x^2/2 + x + 1", "1 + x + x^2/2")
    refusal = outputs[6][0]
    assert "error" in refusal.data["text/plain"] and "^" in refusal.data["text/plain"]
    assert all(o.output_type != "error" for cell in outputs for o in cell)
    json.dumps(nb)  # the executed notebook is valid JSON

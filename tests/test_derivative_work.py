"""A derivative's order times its expression's tree size is checked before any work
(``calctutor.parsing.work``, ``MAX_DERIVATIVE_WORK``): check, check --working, diff,
taylor and every batch row refuse a hopeless request in one line, at once, and let
everything a learner would ask through."""

from __future__ import annotations

import json

import pytest
import sympy
from conftest import run_cli

from calctutor.commands.check import run_check, run_working
from calctutor.commands.diff import run_diff
from calctutor.commands.taylor import run_taylor
from calctutor.errors import LimitError
from calctutor.limits import MAX_DERIVATIVE_WORK, MAX_INPUT_LENGTH
from calctutor.parsing import parse
from calctutor.parsing.work import check_derivative_work


def nodes(expr) -> int:
    return sum(1 for _ in sympy.preorder_traversal(expr))


def sum_of(n: int) -> str:
    """sin(x) + sin(2x) + ...: 4n - 1 nodes (the sum, sin(x), and n - 1 of sin(k*x))."""
    return "+".join(["sin(x)"] + [f"sin({k}x)" for k in range(2, n + 1)])


#: About 800 nodes from under 2,000 characters: an order above 6 of it is too much.
BIG = sum_of(200)


def test_the_big_input_is_one_the_parser_accepts():
    assert len(BIG) <= MAX_INPUT_LENGTH
    assert 700 < nodes(parse(BIG)) < 900


@pytest.mark.parametrize("text", ["x", "sin(x)", "x^3 sin(x)", sum_of(3)])
def test_the_size_is_the_tree_node_count(text):
    expr = parse(text)
    assert check_derivative_work(expr, 1) == nodes(expr)


def test_the_boundary_is_order_times_size():
    expr = parse(sum_of(50))
    size = nodes(expr)
    assert size == 199
    top = MAX_DERIVATIVE_WORK // size
    assert check_derivative_work(expr, top) == size
    with pytest.raises(LimitError) as caught:
        check_derivative_work(expr, top + 1)
    message = caught.value.message
    assert f"order {top + 1}" in message and "199 nodes" in message
    assert f"{MAX_DERIVATIVE_WORK:,}" in message
    assert "lower order" in caught.value.hint and "smaller expression" in caught.value.hint


def test_order_zero_is_no_work():
    assert check_derivative_work(parse(BIG), 0) == nodes(parse(BIG))


def test_a_d_dx_written_in_the_function_adds_its_order():
    inner = parse(f"d^9/dx^9 ({BIG})")  # carried out before grading: 9 derivatives
    with pytest.raises(LimitError, match="order 9 "):
        check_derivative_work(inner, 0)
    with pytest.raises(LimitError, match="order 10 "):
        run_check(f"d^9/dx^9 ({BIG})", "0", order=1)
    assert run_check("d^2/dx^2 (x^5)", "60x^2").correct


def test_the_message_counts_the_whole_tree():
    with pytest.raises(LimitError, match=f"{nodes(parse(BIG)):,} nodes"):
        check_derivative_work(parse(BIG), 10)


def test_run_check_refuses_before_grading():
    with pytest.raises(LimitError, match="a derivative of order 10 of an expression of"):
        run_check(BIG, "0", order=10)


def test_run_check_of_an_equivalence_has_no_derivative_to_limit():
    assert run_check(BIG, BIG, task="equivalent", order=10).correct


def test_run_working_refuses_too():
    with pytest.raises(LimitError, match="order 10"):
        run_working(BIG, "0\n0", order=10)


def test_run_diff_refuses_and_reads_the_order_from_d_dx():
    with pytest.raises(LimitError, match="order 7"):
        run_diff(BIG, order=7, steps=False)
    with pytest.raises(LimitError, match="order 7"):
        run_diff(f"d^7/dx^7 ({BIG})", steps=False)


def test_run_taylor_counts_one_derivative_per_order():
    text = sum_of(70)  # 280 nodes: order 17 * 280 is over 5,000
    with pytest.raises(LimitError, match="a Taylor polynomial of order 20"):
        run_taylor(text, order=20)


@pytest.mark.parametrize("text, answer, order", [
    ("x^10", "3628800", 10),
    ("e^(2x)", "1024 e^(2x)", 10),
    ("sin(x)", "-sin(x)", 10),
    ("x^3 sin(x)", "-x^3 sin(x) + 30x^2 cos(x) + 270x sin(x) - 720cos(x)", 10),
])
def test_order_ten_of_a_moderate_expression_is_still_graded(text, answer, order):
    assert run_check(text, answer, order=order).correct


def test_moderate_requests_pass_everywhere():
    assert run_diff("x^2 e^x", order=10, steps=False).derivative == parse("(x^2 + 20x + 90)e^x")
    assert run_taylor("tan x", order=20).order == 20
    assert run_diff(BIG, order=1, steps=False).order == 1  # order 1 of a big input: fine


# ── through the command line ──────────────────────────────────────────────────────────
def _one_line_refusal(out, order: int) -> None:
    assert out.returncode == 2
    assert "Traceback" not in out.stdout + out.stderr
    assert f"error: a derivative of order {order} of an expression of" in out.stderr
    assert "hint: try a lower order or a smaller expression" in out.stderr


def test_cli_check_order_10_of_a_big_expression_is_refused():
    _one_line_refusal(run_cli("check", "--order", "10", BIG, "0"), 10)


def test_cli_check_json_refusal_is_json():
    out = run_cli("check", "--order", "10", BIG, "0", "--json")
    assert out.returncode == 2
    assert "too much work" in json.loads(out.stdout)["error"]


def test_cli_diff_and_taylor_refuse():
    _one_line_refusal(run_cli("diff", BIG, "--order", "9", "--no-steps"), 9)
    out = run_cli("taylor", sum_of(70), "--order", "20")
    assert out.returncode == 2 and "a Taylor polynomial of order 20" in out.stderr


def test_cli_batch_row_is_refused_on_its_own(tmp_path):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        json.dumps({"id": "big", "function": BIG, "answer": "0", "order": 10}) + "\n"
        + json.dumps({"id": "small", "function": "x^3", "answer": "6", "order": 3}) + "\n",
        encoding="utf-8")
    out = run_cli("check", "--batch", str(rows), "--jobs", "1")
    results = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    by_id = {r["id"]: r for r in results}
    assert "too much work" in json.dumps(by_id["big"])
    assert by_id["small"]["correct"] is True

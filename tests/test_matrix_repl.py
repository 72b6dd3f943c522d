"""The REPL's :shape and :grad with shapes (handlers as plain functions)."""

from __future__ import annotations

import pytest

from calctutor.repl.handlers import handle_line
from calctutor.repl.registry import REGISTRY
from calctutor.repl.replies import Show
from calctutor.repl.state import Context, ReplState
from calctutor.repl.transcript import Transcript, plain_text


@pytest.fixture
def ctx():
    return Context(state=ReplState(), registry=REGISTRY, transcript=Transcript())


def text(ctx, line: str) -> str:
    return "\n".join(plain_text(r) for r in handle_line(ctx, line))


def test_shape_then_grad_is_matrix_calculus(ctx):
    assert "x=n" in text(ctx, ":shape x=n A=nxn")
    (reply,) = handle_line(ctx, ":grad x^T A x --wrt x")
    assert isinstance(reply, Show) and reply.view.__name__ == "calctutor.render.matrix"
    assert "(A + A^T) x" in plain_text(reply)


def test_redeclaring_a_shape_replaces_it(ctx):
    text(ctx, ":shape x=n A=nxn")
    assert "A=nxn,sym" in text(ctx, ":shape A=nxn,sym")
    assert "2 A x" in text(ctx, ":grad x^T A x --wrt x")


def test_shape_lists_and_clears(ctx):
    assert "no shapes" in text(ctx, ":shape")
    text(ctx, ":shape W=3x2 x=2")
    assert "W=3x2" in text(ctx, ":shape") and "x=2" in text(ctx, ":shape")
    assert "cleared" in text(ctx, ":shape clear")
    assert "df/dx = 2*x*y" in text(ctx, ":grad x^2 y")  # scalar calculus again


def test_bad_shape_and_bad_expression_are_errors(ctx):
    assert "error" in text(ctx, ":shape x=0")
    text(ctx, ":shape A=3x3 x=2")
    out = text(ctx, ":grad A x")
    assert "A x: A is 3×3 but x has 2 rows" in out
    assert "^" in out


def test_matrix_grad_refuses_scalar_only_options(ctx):
    text(ctx, ":shape x=3")
    assert "--hessian does not go with matrix shapes" in text(ctx, ":grad x^T x --hessian")


def test_shape_is_listed_in_help(ctx):
    assert ":shape" in text(ctx, ":help")


def test_shape_option_in_the_repl_points_to_the_shape_command(ctx):
    out = text(ctx, ":grad x^T x --shape x=n")
    assert "--shape (matrix calculus) is an option of the command line only" in out
    assert ":shape" in out


def test_matrix_grad_options_come_from_the_matgrad_declaration(ctx):
    text(ctx, ":shape x=n")
    out = text(ctx, ":grad x^T A x --wrt x --shape A=nxn,sym")  # added to the :shape ones
    assert "2 A x" in out
    out = text(ctx, ":grad x^T x --bogus 1")
    assert "unknown option --bogus" in out and ":grad EXPR" in out

"""Chain-rule breakdown: a composition peeled into layers, outermost to innermost.

``sin((4x)^2)`` becomes three layers — z = sin(u), u = v^2, v = 4x — with each layer's
local derivative (cos(u), 2v, 4), the same written in x (cos(16x^2), 2(4x), 4), and the
Leibniz product dz/du · du/dv · dv/dx = 32x cos(16x^2). The layers are read off the chain
steps the engine built, so the breakdown and the tree always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from calctutor.steps.model import Step
from calctutor.steps.shape import evaluated, substitute_unevaluated

__all__ = ["Layer", "Breakdown", "peel", "chain_breakdowns"]


@dataclass(frozen=True, slots=True)
class Layer:
    name: str  # the quantity this layer defines (z, u, v, ...)
    definition: sympy.Expr  # in terms of ``wrt``
    wrt: str  # the next letter inward, or the variable itself for the innermost layer
    local: sympy.Expr  # d name / d wrt, in the letters
    at_variable: sympy.Expr  # the same, written in the variable (left unevaluated)
    step_id: str

    @property
    def leibniz(self) -> str:
        return f"d{self.name}/d{self.wrt}"


@dataclass(frozen=True, slots=True)
class Breakdown:
    step_id: str  # the outermost chain step
    layers: tuple[Layer, ...]
    product: sympy.Expr  # the layers' local derivatives in the variable, unevaluated
    result: sympy.Expr  # the chain step's result

    @property
    def leibniz(self) -> str:
        return " * ".join(layer.leibniz for layer in self.layers)


def peel(step: Step, output: str = "z") -> Breakdown:
    """The layers of a chain step (``step.key == "chain"``)."""
    layers: list[Layer] = []
    name, node = output, step
    while node.key == "chain":
        outer_step, inner_step = node.children
        letter = node.variable
        value = evaluated(node.inner)
        at_x = substitute_unevaluated(node.outer_derivative, {outer_step.wrt: value})
        layers.append(Layer(name, node.outer, letter, node.outer_derivative, at_x, node.id))
        name, node = letter, inner_step
    layers.append(Layer(name, node.expr, node.wrt.name, node.result, node.result, node.id))
    product = sympy.Mul(*[layer.at_variable for layer in layers], evaluate=False)
    return Breakdown(step.id, tuple(layers), product, step.result)


def chain_breakdowns(root: Step, output: str = "z", limit: int = 6) -> list[Breakdown]:
    """A breakdown for each outermost chain step under ``root`` (pre-order).

    A chain nested as another chain's inner layer belongs to that breakdown; chains found
    elsewhere (inside a product, a sum, a chain's last layer) get their own.
    """
    found: list[Breakdown] = []

    def visit(node: Step, in_chain_link: bool) -> None:
        if len(found) >= limit:
            return
        if node.key == "chain" and not in_chain_link:
            found.append(peel(node, output))
        if node.key == "chain":
            outer_step, inner_step = node.children
            visit(inner_step, inner_step.key == "chain")
            return
        for child in node.children:
            visit(child, False)

    visit(root, False)
    return found

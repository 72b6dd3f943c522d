"""The step model: a derivation is a tree of small, frozen rule nodes.

Each :class:`Step` says which rule was used (``rule``: the name a teacher cites, read from
the primitives table; ``key``: a stable machine key such as ``"chain"``, ``"product"`` or
the table row's name ``"sin"``), the expression differentiated there (``expr``, kept as
the learner typed it), its derivative (``result``) with respect to ``wrt``, and the
sub-steps it needed (``children``). The invariant the tests check for every node:
``result == d expr / d wrt`` (a rewrite step such as "simplify" has ``result`` equal in
value to ``expr`` instead; see :attr:`Step.rewrites`).

Ids are path-like (``"1"``, ``"1.2"``, ``"1.2.1"``): the i-th child of step ``s`` is
``s.i``. They depend only on the expression's shape, so a hint or a grader can point at
the same step on every run.

Chain-rule steps carry their layer: ``variable`` (the letter, e.g. ``u``), ``inner``
(u's definition), ``outer`` (the outer function written in the letter, ``sin(u)``),
``outer_derivative`` (in the letter, ``cos(u)``) and ``inner_derivative`` (du/dx). Their
first child is the outer function's rule, differentiated with respect to the letter
(``wrt == u``); the second child differentiates the inner expression.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import sympy

__all__ = ["Step", "Derivation", "REWRITE_KEYS"]

#: Keys of steps that rewrite rather than differentiate: result equals expr in value.
REWRITE_KEYS = frozenset({"simplify", "rewrite"})


@dataclass(frozen=True, slots=True)
class Step:
    """One rule applied to one expression."""

    id: str
    rule: str  # the rule's name as a teacher cites it ("chain rule", "sine rule")
    key: str  # stable machine key: a RULES key ("chain") or a table row name ("sin")
    expr: sympy.Expr  # what is differentiated here (or rewritten)
    result: sympy.Expr  # d expr / d wrt (or the rewritten form)
    wrt: sympy.Symbol  # the variable of this step (a chain letter for an outer layer)
    children: tuple["Step", ...] = ()
    note: str | None = None  # domain or kink note, what was held constant, ...
    explanation: str = ""  # the rule's one-line explanation, from the table
    # chain-rule layer (only on key == "chain")
    variable: str | None = None
    inner: sympy.Expr | None = None
    outer: sympy.Expr | None = None
    outer_derivative: sympy.Expr | None = None
    inner_derivative: sympy.Expr | None = None
    #: the rule written out before SymPy tidies it (e.g. cos((4x)^2) * (2*(4x)) * 4)
    work: sympy.Expr | None = None
    #: True when a mutation hook changed this step (grader's mistake replay)
    mutated: bool = False

    @property
    def rewrites(self) -> bool:
        return self.key in REWRITE_KEYS

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator["Step"]:
        """This step and every step below it, in pre-order (the numbering order)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def find(self, step_id: str) -> "Step | None":
        for node in self.walk():
            if node.id == step_id:
                return node
        return None


@dataclass(frozen=True, slots=True)
class Derivation:
    """The whole derivation of d^n expr / d wrt^n.

    ``steps`` are the top-level steps: for order 1 the rule tree (id ``"1"``) followed by
    a "simplify" step (id ``"2"``) when the tidy form differs; for order n > 1 one
    "higher-order derivative" step per order (ids ``"1"`` … ``"n"``), each holding that
    order's rule tree and its simplify step.
    """

    expr: sympy.Expr  # as typed (structure kept)
    wrt: sympy.Symbol
    order: int
    steps: tuple[Step, ...]
    raw: sympy.Expr  # the last order's derivative before the final tidy-up
    result: sympy.Expr  # the final answer
    mutated: bool = False
    simplified_by: str | None = None  # how the final tidy-up changed the raw result
    orders: tuple[sympy.Expr, ...] = field(default=())  # f', f'', ... (tidy forms)

    def walk(self) -> Iterator[Step]:
        for top in self.steps:
            yield from top.walk()

    def find(self, step_id: str) -> Step | None:
        for node in self.walk():
            if node.id == step_id:
                return node
        return None

    @property
    def trees(self) -> tuple[Step, ...]:
        """The rule tree of each order (without the wrappers and simplify steps)."""
        if self.order <= 1:
            return tuple(s for s in self.steps if not s.rewrites)
        return tuple(c for s in self.steps for c in s.children if not c.rewrites)

"""How much work a derivative of a parsed expression would be, checked before doing it.

The measure is the one the parser uses for a program's size (``MAX_PROGRAM_SIZE``): tree
nodes, every node counted once per place it appears (1 for a number or a name, 1 plus its
arguments for anything else). A derivative of order n of an expression of s nodes is
refused when n * s exceeds ``MAX_DERIVATIVE_WORK``: the count is cheap (it stops as soon
as the limit is passed), and it runs before any derivative is taken, so a hopeless
request is refused at once instead of running into the time limit.

The limit (5,000) is where the step-by-step derivative stops fitting the default budget:
its cost grows about linearly in order times size (839 nodes of sin(kx) terms take about
2 s at order 1, 4 s at order 2, 8 s at order 4), and at order 1 it admits every single
expression (2,000 characters make at most about 3,400 nodes) and programs up to about
``MAX_PROGRAM_SIZE`` (5,000 nodes, the parser's own refusal), so the check bites where an
order above 1 meets a large expression.
"""

from __future__ import annotations

from calctutor.errors import LimitError
from calctutor.limits import MAX_DERIVATIVE_WORK


def check_derivative_work(expr, order: int, *, what: str = "a derivative") -> int:
    """Refuse (``LimitError``) ``order`` derivatives of ``expr`` when order times its tree
    size is over ``MAX_DERIVATIVE_WORK``; return the tree size.

    A d/dx the learner wrote inside ``expr`` (``d^3/dx^3 (...)``, carried out before
    grading) adds its own order: the work is (``order`` + the highest written order) times
    the size. ``what`` names the request in the message ("a derivative", "a Taylor
    polynomial").
    """
    ceiling = 100 * MAX_DERIVATIVE_WORK  # a shared subtree counts once per place: stop here
    size = written = 0
    stack = [expr]
    while stack and size < ceiling:  # iterative: a deep tree cannot overflow the stack
        node = stack.pop()
        size += 1
        if getattr(node, "is_Derivative", False):
            written = max(written, int(node.derivative_count))
        stack.extend(getattr(node, "args", ()))
    total = max(order, 0) + written
    if total * size <= MAX_DERIVATIVE_WORK:
        return size
    count = f"more than {ceiling:,}" if stack else f"{size:,}"
    raise LimitError(
        f"{what} of order {total} of an expression of {count} nodes is too much work "
        f"(the limit is {MAX_DERIVATIVE_WORK:,} = order times size)",
        hint="try a lower order or a smaller expression")

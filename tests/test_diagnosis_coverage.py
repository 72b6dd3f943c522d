"""Held-out coverage of the diagnosis: slips injected into composite functions through the
step engine's mutation hook (independently of the diagnosis's own slip list), then graded.

A slip counts as named correctly when the diagnosis gives its label, or a label earlier in
CLI.md's table (the table's rule: where two labels fit, the first wins; the diagnosis only
gives labels whose replay reproduces the answer). The share must be at least 95%.
"""

from __future__ import annotations

import random

import sympy

from calctutor.grading.diagnosis import LABEL_ORDER
from calctutor.grading.grade import grade
from calctutor.parsing import parse
from calctutor.steps import derive

X = sympy.Symbol("x", real=True)
_OUTER = ["sin", "cos", "exp", "tanh", "ln"]
_INNER = ["x^2", "3x", "x^3 + x", "2x - 1", "x^2 - 3x"]


def composite(rng: random.Random) -> str:
    """A random composite function: f(g(x)), a product or sum of two, or a power of one."""
    def one():
        fn, inner = rng.choice(_OUTER), rng.choice(_INNER)
        if fn == "ln":
            inner = f"({inner})^2 + 1"
        return f"{fn}({inner})"

    shape = rng.randrange(5)
    if shape == 0:
        return one()
    if shape == 1:
        return f"{one()} * {rng.choice(_INNER)}" if rng.random() < 0.5 else f"({rng.choice(_INNER)}) * {one()}"
    if shape == 2:
        return f"{one()} - {one()}"
    if shape == 3:
        return f"({one()})^{rng.choice([2, 3])}"
    return f"{rng.choice(_OUTER[:3])}({one()})"


def inject(text: str, rng: random.Random):
    """(wrong derivative, label) for one slip made through the engine's hook, or None."""
    structured = parse(text, evaluate=False)
    sites = []
    derive(structured, X, 1, mutate=lambda s: sites.append(s), simplify=False)
    kinds = []
    inner = [s for s in sites if s.kind == "inner"]
    sums = [s for s in sites if s.kind == "result" and s.correct.is_Add]
    powers = [s for s in sites if s.kind == "local" and s.row == "pow" and s.args[1].is_number]
    products = [s for s in sites if s.kind == "result" and s.key == "product"]
    if inner:
        kinds.append("missing_chain_factor")
    if len(inner) >= 2:
        kinds.append("two_chain")
    if sums:
        kinds.append("sign")
    if powers:
        kinds.append("power_rule")
    if products:
        kinds.append("product_rule")
    kinds.append("wrong_order")
    kind = rng.choice(kinds)
    if kind == "wrong_order":
        return sympy.diff(parse(text), X, 2), "wrong_order"
    if kind == "two_chain":
        targets = {(s.step_id, s.kind): sympy.S.One for s in rng.sample(inner, 2)}
        label = "missing_chain_factor"
    elif kind == "missing_chain_factor":
        s = rng.choice(inner)
        targets, label = {(s.step_id, s.kind): sympy.S.One}, kind
    elif kind == "sign":
        s = rng.choice(sums)
        term = rng.choice(sympy.Add.make_args(s.correct))
        targets, label = {(s.step_id, s.kind): s.correct - 2 * term}, kind
    elif kind == "power_rule":
        s = rng.choice(powers)
        u, n = s.args
        targets, label = {(s.step_id, s.kind): n * u ** n}, kind
    else:
        s = rng.choice(products)
        targets = {(s.step_id, s.kind): sympy.diff(s.expr, X) - sympy.S.Zero}
        parts = sympy.Mul.make_args(sympy.sympify(s.expr).doit())
        if len(parts) < 2:
            return None
        targets = {(s.step_id, s.kind): sympy.Mul(*[sympy.diff(p, X) for p in parts])}
        label = kind

    def mutate(site):
        return targets.get((site.step_id, site.kind))

    wrong = derive(structured, X, 1, mutate=mutate, simplify=False).result
    truth = sympy.diff(parse(text), X)
    if abs(complex((wrong - truth).subs(X, sympy.Rational(7, 10)).evalf(20))) < 1e-12:
        return None  # the slip changes nothing here
    return wrong, label


def corpus(seed: int, size: int):
    rng = random.Random(seed)
    rows = []
    while len(rows) < size:
        text = composite(rng)
        made = inject(text, rng)
        if made is not None:
            rows.append((text, made[0], made[1]))
    return rows


def named_correctly(text, wrong, label) -> tuple[bool, str | None]:
    function = parse(text)
    verdict = grade(function, wrong, variable="x", structured=parse(text, evaluate=False))
    got = verdict.mistake
    if verdict.correct or got in (None, "unknown"):
        return False, got
    return got == label or LABEL_ORDER.index(got) < LABEL_ORDER.index(label), got


def test_held_out_composite_slips_are_named_at_least_95_percent():
    rows = corpus(2026, 40)
    misses = []
    for text, wrong, label in rows:
        ok, got = named_correctly(text, wrong, label)
        if not ok:
            misses.append((text, str(wrong), label, got))
    share = 1 - len(misses) / len(rows)
    assert share >= 0.95, (share, misses)


def test_every_sign_slip_of_the_corpus_is_named():
    rng = random.Random(5)
    rows = []
    while len(rows) < 12:
        text = composite(rng)
        structured = parse(text, evaluate=False)
        sites = []
        derive(structured, X, 1, mutate=lambda s: sites.append(s), simplify=False)
        sums = [s for s in sites if s.kind == "result" and s.correct.is_Add]
        if not sums:
            continue
        s = rng.choice(sums)
        term = rng.choice(sympy.Add.make_args(s.correct))
        wrong = derive(structured, X, 1, simplify=False,
                       mutate=lambda t: s.correct - 2 * term if (t.step_id, t.kind) == (s.step_id, s.kind) else None).result
        rows.append((text, wrong))
    for text, wrong in rows:
        ok, got = named_correctly(text, wrong, "sign")
        assert ok, (text, str(wrong), got)

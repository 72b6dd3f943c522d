"""Grade a learner's matrix derivative: right shape, equal to the engine's result at random
draws (and, when the forms coincide, symbolically), with the usual slips named — an answer
right only for symmetric A, a transposed layout, a sign, a constant factor."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from calctutor.matrix import nodes as N
from calctutor.matrix.derive import Derivative, derivative
from calctutor.matrix.nodes import Node, show_shape
from calctutor.matrix.numeric import _needs_positive, draw_values, evaluate, trial_sizes, uses
from calctutor.matrix.parser import parse_matrix
from calctutor.matrix.printer import to_text, to_unicode
from calctutor.matrix.shapes import Decl
from calctutor.matrix.simplify import simplify

DRAWS = 6
AGREE = 1e-7


@dataclass(frozen=True, slots=True)
class MatrixVerdict:
    correct: bool
    kind: str
    function: Node
    answer: Node
    expected: Node
    wrt: str
    decls: dict[str, Decl]
    mistake: str | None  # a CLI.md label: sign, constant_rule, unknown
    detail: str | None  # symmetric_only, transposed, shape, sign, constant_factor
    message: str
    witnesses: dict[str, str]
    derivation: Derivative
    counterexample: dict | None = None
    notes: tuple[str, ...] = field(default=())


def _facts(decls: dict[str, Decl]) -> tuple[frozenset[str], frozenset[str]]:
    return (frozenset(k for k, d in decls.items() if d.symmetric),
            frozenset(k for k, d in decls.items() if d.prob))


def _compare(expected: Node, answer: Node, function: Node, decls, *, transform=None, seed=0):
    """Worst relative difference over random draws and the first bad draw."""
    rng = np.random.default_rng(seed)
    symbols = N.dims(function) | N.dims(expected) | N.dims(answer) | \
        {d for x in decls.values() for d in x.shape if isinstance(d, str)}
    positive = _needs_positive(function) | _needs_positive(answer)
    conditioned = uses(function, (N.Inverse, N.Reduce)) or uses(answer, (N.Inverse, N.Reduce))
    worst, bad, done = 0.0, None, 0
    for _ in range(DRAWS * 4):
        if done == DRAWS:
            break
        sizes = trial_sizes(symbols, done, rng)
        env = draw_values(decls, sizes, rng, positive, conditioned)
        with np.errstate(all="ignore"):
            e = evaluate(expected, env, sizes)
            a = evaluate(answer, env, sizes)
        if transform is not None:
            e = transform(e)
        if not np.all(np.isfinite(e)):
            continue
        done += 1
        if a.shape != e.shape and a.shape == (1, 1):
            a = np.full(e.shape, a[0, 0]) if isinstance(answer, N.Const) else a
        if a.shape != e.shape or not np.all(np.isfinite(a)):
            return float("inf"), {"sizes": sizes}, done
        err = float(np.max(np.abs(a - e))) / max(float(np.max(np.abs(e))), 1e-3)
        if err > worst:
            worst = err
            if err > AGREE and bad is None:
                bad = {"sizes": sizes, "expected_norm": float(np.linalg.norm(e)),
                       "answer_norm": float(np.linalg.norm(a)), "relative_difference": err}
    return worst, bad, done


def grade_matrix(function_text: str, answer_text: str, wrt: str, decls: dict[str, Decl]
                 ) -> MatrixVerdict:
    function = parse_matrix(function_text, decls)
    sym, prob = _facts(decls)
    d = derivative(function, wrt, decls[wrt].shape, sym, prob)
    expected = d.result
    answer = parse_matrix(answer_text, decls)
    if isinstance(answer, N.Const) and answer.value == 0:
        answer = N.Zero(expected.shape)
    shown = answer
    answer = simplify(answer, sym, prob)

    def verdict(correct, mistake, detail, message, symbolic="unknown", numeric="unknown",
                counter=None):
        return MatrixVerdict(correct, d.kind, function, shown, expected, wrt, decls,
                             mistake, detail, message,
                             {"symbolic": symbolic, "numeric": numeric}, d, counter, d.notes)

    what = (f"∇_{wrt} f" if d.kind == "gradient" else f"∂f/∂{wrt}")
    layout = (f"the gradient has the shape of {wrt} ({show_shape(decls[wrt].shape)}), "
              "the layout of PyTorch's .grad" if d.kind == "gradient"
              else f"the Jacobian is {show_shape(expected.shape)}, rows are the outputs")
    if answer.shape != expected.shape and not (answer.shape == (1, 1) and isinstance(answer, N.Zero)):
        transposed = (answer.shape == (expected.shape[1], expected.shape[0]))
        if transposed:
            err, _, _ = _compare(expected, answer, function, decls, transform=lambda m: m.T)
            if err <= AGREE:
                return verdict(False, "unknown", "transposed",
                               f"right numbers, wrong layout: your answer is the transpose. "
                               f"{layout[0].upper() + layout[1:]}; write "
                               f"{to_text(expected)}.",
                               numeric="different")
        return verdict(False, "unknown", "shape",
                       f"your answer is {show_shape(answer.shape)} but {what} is "
                       f"{show_shape(expected.shape)}: {layout}.", numeric="different")
    symbolic = "equal" if answer == expected else "unknown"
    err, bad, done = _compare(expected, answer, function, decls)
    if err <= AGREE and done > 0:
        return verdict(True, None, None,
                       f"correct: {to_unicode(shown)} is {what} "
                       f"(equal at {done} random draws" +
                       (", and the same form as ours" if symbolic == "equal" else "") + ").",
                       symbolic=symbolic, numeric="equal")
    if done == 0:
        return verdict(False, "unknown", None, "could not evaluate the answer at any random "
                       "draw (is it defined?)", symbolic=symbolic)
    # diagnose
    if expected.shape[0] == expected.shape[1]:
        err_t, _, _ = _compare(expected, answer, function, decls, transform=lambda m: m.T)
        if err_t <= AGREE:
            return verdict(False, "unknown", "transposed",
                           f"your answer is the transpose of {what} = {to_unicode(expected)}.",
                           symbolic="different", numeric="different", counter=bad)
    squares = [k for k, x in decls.items() if x.shape[0] == x.shape[1] and x.shape != (1, 1)
               and not x.symmetric and k != wrt and N.depends(function, k)]
    trials = [[k] for k in squares] + ([squares] if len(squares) > 1 else [])
    for names in trials:
        trial = {k: (Decl(x.name, x.shape, True, x.prob, x.positive) if k in names else x)
                 for k, x in decls.items()}
        err_s, _, _ = _compare(expected, answer, function, trial)
        if err_s <= AGREE:
            listed = ", ".join(names)
            flags = " ".join(f"--shape {trial[k].spec()}" for k in names)
            return verdict(False, "unknown", "symmetric_only",
                           f"right only when {listed} {'is' if len(names) == 1 else 'are'} "
                           f"symmetric ({names[0]} = {names[0]}ᵀ); in general {what} = "
                           f"{to_unicode(expected)}. If {listed} "
                           f"{'is' if len(names) == 1 else 'are'} symmetric, declare it: {flags}.",
                           symbolic="different", numeric="different", counter=bad)
    err_n, _, _ = _compare(expected, answer, function, decls, transform=lambda m: -m)
    if err_n <= AGREE:
        return verdict(False, "sign", "sign", f"the sign is flipped: {what} = {to_unicode(expected)}.",
                       symbolic="different", numeric="different", counter=bad)
    ratio = _constant_ratio(expected, answer, function, decls)
    if ratio is not None:
        return verdict(False, "constant_rule", "constant_factor",
                       f"off by a constant factor ({what} is {_fmt(ratio)} times your answer): "
                       f"{what} = {to_unicode(expected)}.",
                       symbolic="different", numeric="different", counter=bad)
    return verdict(False, "unknown", None,
                   f"not equal to {what} = {to_unicode(expected)} (relative difference "
                   f"{err:.2g} at a random draw).", symbolic="different", numeric="different",
                   counter=bad)


def _fmt(x: float) -> str:
    return f"{x:g}"


def _constant_ratio(expected, answer, function, decls) -> float | None:
    rng = np.random.default_rng(1)
    symbols = N.dims(function) | {d for x in decls.values() for d in x.shape if isinstance(d, str)}
    ratios = []
    for k in range(3):
        sizes = trial_sizes(symbols, k, rng)
        env = draw_values(decls, sizes, rng, _needs_positive(function), True)
        with np.errstate(all="ignore"):
            e, a = evaluate(expected, env, sizes), evaluate(answer, env, sizes)
        if a.shape != e.shape or not np.all(np.isfinite(a)) or not np.any(a):
            return None
        i = np.unravel_index(np.argmax(np.abs(a)), a.shape)
        r = e[i] / a[i]
        if not np.allclose(e, r * a, rtol=1e-7, atol=1e-9):
            return None
        ratios.append(r)
    if ratios and np.allclose(ratios, ratios[0]) and abs(ratios[0] - 1) > 1e-9:
        return float(np.round(ratios[0], 10))
    return None

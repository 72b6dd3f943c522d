"""A second, independent witness for a matrix result: calctutor's own reverse-mode
autodiff (:mod:`calctutor.graph`) run on the function written out entry by entry (a
scalar SymPy expression in x_1, A_12, …), evaluated at the same random draws as the
central differences, and compared with the matrix result component by component."""

from __future__ import annotations

import numpy as np

from calctutor.errors import CalcError
from calctutor.matrix import nodes as N
from calctutor.matrix.nodes import Node
from calctutor.matrix.numeric import (
    _needs_positive,
    draw_values,
    evaluate,
    relative_error,
    size,
    trial_sizes,
    uses,
)
from calctutor.matrix.shapes import Decl

#: Entries of the variable above which the component route is not run.
MAX_ENTRIES = 64


def _concrete(decls: dict[str, Decl], sizes: dict[str, int]) -> dict[str, Decl]:
    return {k: Decl(d.name, (size(d.shape[0], sizes), size(d.shape[1], sizes)), d.symmetric,
                    d.prob, d.positive) for k, d in decls.items()}


def autodiff_check(f: Node, result: Node, wrt: str, decls: dict[str, Decl], *, draws: int = 3,
                   seed: int = 0, seconds: float = 8.0) -> tuple[int, float | None]:
    """(draws done, max relative error), or (0, None) when the component route is too big."""
    import sympy

    from calctutor.graph import compile_gradient
    from calctutor.matrix.components import entry_symbols, to_sympy
    from calctutor.timeouts import time_limit

    rng = np.random.default_rng(seed + 101)
    symbols = N.dims(f) | {d for x in decls.values() for d in x.shape if isinstance(d, str)}
    heavy = uses(f, (N.Inverse,)) or any(isinstance(n, N.Reduce) and n.fn == "det"
                                         for n in _nodes(f))
    worst, done = 0.0, 0
    try:
        with time_limit(seconds, "the autodiff check"):
            for k in range(draws * 3):
                if done == draws:
                    break
                sizes = trial_sizes(symbols, k, rng)
                if heavy:
                    sizes = {s: min(v, 3) for s, v in sizes.items()}
                concrete = _concrete(decls, sizes)
                r, c = concrete[wrt].shape
                if r * c > MAX_ENTRIES:
                    return 0, None
                env_sym = entry_symbols(concrete)
                values = draw_values(concrete, {}, rng, _needs_positive(f), uses(f, (N.Inverse, N.Reduce)))
                points = {}
                for name, m in env_sym.items():
                    for (i, j), s in np.ndenumerate(np.array(m, dtype=object)):
                        if isinstance(s, sympy.Symbol):
                            points[s.name] = float(values[name][i, j])
                fm = to_sympy(f, env_sym)
                V = env_sym[wrt]
                names = [s.name for s in V if isinstance(s, sympy.Symbol)]
                if len(names) != r * c:  # a symmetric or probability variable: entries tied
                    return done, (worst if done else None)
                rows = []
                for out in range(fm.rows):
                    fn = compile_gradient(fm[out, 0], names)
                    ev = fn(points)
                    rows.append([float(np.asarray(ev.gradient[n])) for n in names])
                ours = evaluate(result, values, sizes)
                if fm.shape == (1, 1):
                    got = np.array(rows[0]).reshape(r, c)
                else:
                    got = np.array(rows)
                if not (np.all(np.isfinite(got)) and np.all(np.isfinite(ours))):
                    continue
                worst = max(worst, relative_error(ours, got))
                done += 1
    except CalcError:
        return done, (worst if done else None)
    return done, (worst if done else None)


def _nodes(n: Node):
    yield n
    for c in N.children(n):
        yield from _nodes(c)

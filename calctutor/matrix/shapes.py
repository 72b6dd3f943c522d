"""Shape declarations: ``x=3``, ``A=3x3``, ``x=n``, ``A=nxn,sym``, ``y=n,prob``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from calctutor.errors import CalcError, ParseError
from calctutor.matrix.nodes import Dim, Shape, show_shape

#: Words the matrix notation keeps for itself.
RESERVED = frozenset({"I", "T", "F", "tr", "trace", "det", "sum", "diag", "softmax",
                      "logsumexp", "exp", "log", "ln", "sigmoid", "tanh", "relu", "sqrt",
                      "step", "norm"})
FLAGS = {"sym": "symmetric", "symmetric": "symmetric", "prob": "prob",
         "probability": "prob", "pos": "positive", "positive": "positive"}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_DIM = re.compile(r"[0-9]+|[A-Za-wyz][A-Za-wyz0-9]*")


@dataclass(frozen=True, slots=True)
class Decl:
    """One declared variable: its shape and what else is known about it."""

    name: str
    shape: Shape
    symmetric: bool = False
    prob: bool = False  # entries ≥ 0 that sum to 1 (a one-hot label or probabilities)
    positive: bool = False

    def spec(self) -> str:
        r, c = self.shape
        size = "1" if self.shape == (1, 1) else (f"{r}" if c == 1 else f"{r}x{c}")
        flags = [f for f, on in (("sym", self.symmetric), ("prob", self.prob),
                                 ("pos", self.positive)) if on]
        return f"{self.name}={','.join([size, *flags])}"

    def describe(self) -> str:
        extra = [w for w, on in (("symmetric", self.symmetric),
                                 ("probabilities summing to 1", self.prob),
                                 ("positive entries", self.positive)) if on]
        kind = ("scalar" if self.shape == (1, 1)
                else "vector" if self.shape[1] == 1 else "matrix")
        text = f"{self.name}: {kind} {show_shape(self.shape)}"
        return text + (f" ({', '.join(extra)})" if extra else "")


def _dim(text: str, spec: str, offset: int) -> Dim:
    if not _DIM.fullmatch(text):
        raise ParseError(f"a size is a whole number or a letter (n, m, d), not {text!r}",
                         spec, offset, width=max(1, len(text)))
    if text.isdigit():
        value = int(text)
        if not 1 <= value <= 64:
            raise ParseError("a concrete size must be between 1 and 64", spec, offset,
                             width=len(text))
        return value
    return text


def parse_shape(spec: str) -> Decl:
    """One ``--shape`` value."""
    text = spec.strip()
    if "=" not in text:
        raise ParseError("write a shape as NAME=SIZE, e.g. x=3, A=3x3, x=n, A=nxn,sym",
                         spec, len(spec))
    name, _, rest = text.partition("=")
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise ParseError(f"{name!r} is not a variable name", spec, 0, width=max(1, len(name)))
    if name in RESERVED:
        raise ParseError(f"{name!r} is a reserved word of the matrix notation", spec, 0,
                         width=len(name))
    pieces = [p.strip() for p in rest.split(",")]
    size, flags = pieces[0], pieces[1:]
    offset = text.index("=") + 1
    if size in ("scalar", "1"):
        shape: Shape = (1, 1)
    else:
        parts = re.split(r"\s*[x×]\s*", size)
        if len(parts) > 2 or not all(parts):
            raise ParseError("a shape is SIZE (a vector) or ROWSxCOLS (a matrix)", spec, offset,
                             width=max(1, len(size)))
        dims = [_dim(p, spec, offset) for p in parts]
        shape = (dims[0], 1) if len(dims) == 1 else (dims[0], dims[1])
    known = {"symmetric": False, "prob": False, "positive": False}
    for flag in flags:
        if flag not in FLAGS:
            raise ParseError(f"unknown shape flag {flag!r} (use sym, prob or pos)", spec,
                             text.find(flag), width=max(1, len(flag)))
        known[FLAGS[flag]] = True
    if known["symmetric"] and shape[0] != shape[1]:
        raise ParseError(f"{name} is {show_shape(shape)}: only a square matrix can be symmetric",
                         spec, offset, width=max(1, len(size)))
    if known["prob"] and shape[1] != 1:
        raise ParseError("only a vector can hold probabilities", spec, offset)
    return Decl(name, shape, known["symmetric"], known["prob"], known["positive"])


def parse_shapes(specs: Iterable[str], symmetric: Iterable[str] = ()) -> dict[str, Decl]:
    """All ``--shape`` values (each may hold several, separated by spaces or ';') and the
    names given to ``--symmetric``."""
    out: dict[str, Decl] = {}
    for spec in specs:
        for piece in re.split(r"[;,\s]+(?=[A-Za-z][A-Za-z0-9_]*\s*=)", spec.strip()):
            if not piece.strip():
                continue
            decl = parse_shape(piece)
            if decl.name in out and out[decl.name] != decl:
                raise CalcError(f"{decl.name} is declared twice with different shapes")
            out[decl.name] = decl
    for name in symmetric:
        for n in (p.strip() for p in name.split(",")):
            if not n:
                continue
            if n not in out:
                raise CalcError(f"--symmetric {n}: declare its shape first (--shape {n}=nxn)")
            d = out[n]
            if d.shape[0] != d.shape[1] or d.shape == (1, 1):
                raise CalcError(f"--symmetric {n}: {n} is {show_shape(d.shape)}, not a square matrix")
            out[n] = Decl(d.name, d.shape, True, d.prob, d.positive)
    return out

"""Terminal plots for calctutor: figures as data, drawn with plotext.

Why plotext
-----------
We need line plots that live *inside* a terminal session: fit its width, read well in a
log without colour, log-log axes for the finite-difference error "V", and the canvas as
a string so it can sit inside a Rich panel or be written to a file for notes.
plotext (MIT, actively released) does exactly that:

- it draws with plain character markers (``*``, ``+``, ``o``, ...) that stay readable
  without colour, and has a ``colorless`` theme and ``string(colorless=True)``;
- ``plot_size(width, height)`` sets the size in terminal cells, so we fit
  ``shutil.get_terminal_size()`` or ``--width``;
- rulers support ``scale("log")`` and explicit ticks with our own labels;
- ``figure.build()`` returns the canvas (a matrix with ``.string()``), so nothing is
  printed behind our back: Rich embeds it with ``Text.from_ansi`` and ``--save`` writes
  it as SVG (Rich console recording), HTML or text.

Alternatives considered: matplotlib (heavy, an image not a terminal plot; a poor fit for
a CLI whose start-up time matters), uniplot/asciichartpy (no log axes or several series
with legends), hand-written braille canvas (more code to keep for no gain).

Version note: plotext 6 replaced the 5.x module-level API (``plt.plot``/``plt.build``)
with figure/signal objects and ships a small compiled kernel (manylinux wheels).
:mod:`calctutor.render.drawing` is written for the 6.x API; on 5.x it says so clearly.

Layout (commands build data, renderers draw; no calculus here):

- :mod:`.evaluate` — expression → NumPy values (one swap point for the numeric engine);
- :mod:`.figure`   — ``Figure`` / ``Series`` dataclasses and sampling helpers;
- :mod:`calctutor.render.drawing` — ``Figure`` → text with plotext (ASCII in plain mode);
- :mod:`calctutor.render.save`    — write a drawn figure (or any Rich renderable) to SVG/HTML/TXT.
"""

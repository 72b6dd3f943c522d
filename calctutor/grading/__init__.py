"""Grading typed answers: two independent witnesses and a mistake diagnosis.

- :mod:`symbolic` — SymPy normalisation valid for real variables, time-boxed.
- :mod:`numeric` — values at random points across the domain of both expressions,
  screened in float64 and confirmed in high precision.
- :mod:`diagnosis` — the step engine re-run with one rule replaced by its classic mistake.
- :mod:`verdict` — the documented rule that combines the witnesses.
"""

"""Build tests/data/progress/schema2-leitner.sqlite3 with the schema-2 (Leitner) code."""
import sys, time
from pathlib import Path
import calctutor.progress as p
from calctutor.progress import Attempt, ProgressStore

assert p.SCHEMA_VERSION == 2
out = Path(sys.argv[1]); out.unlink(missing_ok=True)
clock = [1_780_000_000.0]  # 2026-05-28
p.time.time = lambda: clock[0]
DAY = 86400.0
with ProgressStore(out) as store:
    def sess(lesson, seed, items, advance):
        s = store.start_session(lesson, seed)
        for ex, skill, answers in items:
            for i, (kind, correct, hints) in enumerate(answers):
                clock[0] += 40
                store.record(Attempt(lesson=lesson, exercise=ex, answer="ans" if kind == "answer" else f"({kind})",
                    correct=correct, skill=skill, kind=kind, hints=hints, seconds=12.5, seed=seed, session=s,
                    mistake=None if correct else "missing_chain_factor", verdict="", problem="p", expected="e",
                    promote=kind == "answer" and correct and hints == 0 and i == 0))
        store.finish_session(s)
        clock[0] += advance
    sess("chain-rule", 1, [("sin-linear", "chain-rule", [("answer", True, 0)]),
                           ("three-layers", "chain-rule", [("checkpoint", True, 0), ("answer", False, 0), ("answer", True, 1)]),
                           ("power-of-inner", "chain-rule", [("skip", False, 0)])], DAY)
    sess("rules", 2, [("polynomial", "basic-rules", [("answer", True, 0)]),
                      ("product", "product-rule", [("answer", False, 0), ("solution", False, 1)])], 2 * DAY)
    sess("chain-rule", 3, [("sin-linear", "chain-rule", [("answer", True, 0)]),
                           ("power-of-inner", "chain-rule", [("answer", True, 2)])], 3 * DAY)
    sess("activations", 4, [("sigmoid-scaled", "activations", [("answer", True, 0)])], DAY)
    print(store.version(), store.count_attempts(), store.boxes())

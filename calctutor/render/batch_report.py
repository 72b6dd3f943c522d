"""The teacher's report as Markdown, HTML (with a bar chart of mistakes per problem) or
CSV, and as Rich tables for the terminal."""

from __future__ import annotations

import csv
import html
import io

LABEL_WIDTH = 160


def to_markdown(report) -> str:
    out = [f"# Class report\n\n{report.rows} answers, {len(report.problems)} problems"
           + (f", {len(report.learners)} learners" if report.learners else "") + ".\n"]
    if report.unplaced_errors:
        out.append(f"{report.unplaced_errors} rows could not be read at all.\n")
    for p in report.problems:
        out.append(f"\n## {_md(p.title)}\n\n{p.answers} answers, "
                   f"{p.share_correct:.0%} correct, {p.unreadable} could not be read.\n")
        if p.mistakes:
            out.append("\n| mistake | count | most common wrong answer |\n| --- | ---: | --- |\n")
            for label, count in p.mistakes.most_common():
                wrong = p.most_common_wrong(label)
                shown = f"`{_md(wrong[0])}` ({wrong[1]})" if wrong else ""
                out.append(f"| {label} | {count} | {shown} |\n")
    if report.learners:
        out.append("\n## Learners\n\n| learner | score | answers | slips |\n"
                   "| --- | ---: | ---: | --- |\n")
        for l in report.learners:
            slips = ", ".join(f"{k} ({v})" for k, v in l.slips.most_common())
            out.append(f"| {_md(l.student)} | {l.score:.0%} | {l.answers} | {slips} |\n")
    return "".join(out)


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("`", "'")


def to_html(report) -> str:
    e = html.escape
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Class report</title>",
             "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}"
             "code{background:#f4f4f4}</style></head><body><h1>Class report</h1>",
             f"<p>{report.rows} answers, {len(report.problems)} problems"
             + (f", {len(report.learners)} learners" if report.learners else "") + ".</p>",
             _bar_chart(report)]
    for p in report.problems:
        parts.append(f"<h2>{e(p.title)}</h2><p>{p.answers} answers, {p.share_correct:.0%} "
                     f"correct, {p.unreadable} could not be read.</p>")
        if p.mistakes:
            parts.append("<table><tr><th>mistake</th><th>count</th>"
                         "<th>most common wrong answer</th></tr>")
            for label, count in p.mistakes.most_common():
                wrong = p.most_common_wrong(label)
                shown = f"<code>{e(wrong[0])}</code> ({wrong[1]})" if wrong else ""
                parts.append(f"<tr><td>{e(label)}</td><td>{count}</td><td>{shown}</td></tr>")
            parts.append("</table>")
    if report.learners:
        parts.append("<h2>Learners</h2><table><tr><th>learner</th><th>score</th>"
                     "<th>answers</th><th>slips</th></tr>")
        for l in report.learners:
            slips = ", ".join(f"{e(k)} ({v})" for k, v in l.slips.most_common())
            parts.append(f"<tr><td>{e(l.student)}</td><td>{l.score:.0%}</td>"
                         f"<td>{l.answers}</td><td>{slips}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)


def _bar_chart(report) -> str:
    """An inline SVG: one bar per problem, its length the number of wrong answers."""
    if not report.problems:
        return ""
    most = max((sum(p.mistakes.values()) for p in report.problems), default=0) or 1
    height = 22 * len(report.problems) + 10
    rows = []
    for i, p in enumerate(report.problems):
        wrong = sum(p.mistakes.values())
        width = 300 * wrong / most
        y = 5 + 22 * i
        rows.append(f"<text x='0' y='{y + 14}' font-size='12'>{html.escape(p.title[:40])}</text>"
                    f"<rect x='{LABEL_WIDTH + 120}' y='{y}' width='{width:.1f}' height='16' "
                    f"fill='#c0392b'/><text x='{LABEL_WIDTH + 125 + width:.1f}' y='{y + 13}' "
                    f"font-size='12'>{wrong}</text>")
    return (f"<h2>Mistakes per problem</h2><svg xmlns='http://www.w3.org/2000/svg' "
            f"width='{LABEL_WIDTH + 460}' height='{height}' role='img' "
            f"aria-label='wrong answers per problem'>{''.join(rows)}</svg>")


def to_csv(report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["kind", "problem", "answers", "share_correct", "could_not_read",
                     "mistake", "count", "most_common_wrong_answer", "learner", "score", "slips"])
    for p in report.problems:
        writer.writerow(["problem", p.title, p.answers, f"{p.share_correct:.3f}", p.unreadable,
                         "", "", "", "", "", ""])
        for label, count in p.mistakes.most_common():
            wrong = p.most_common_wrong(label)
            writer.writerow(["mistake", p.title, "", "", "", label, count,
                             wrong[0] if wrong else "", "", "", ""])
    for l in report.learners:
        slips = "; ".join(f"{k}={v}" for k, v in l.slips.most_common())
        writer.writerow(["learner", "", l.answers, "", "", "", "", "", l.student,
                         f"{l.score:.3f}", slips])
    return buffer.getvalue()


def to_rich(report):
    """The per-problem table (and the learners' one) for the terminal."""
    from rich.console import Group
    from rich.table import Table

    table = Table(title="problems", title_justify="left")
    for column in ("problem", "answers", "correct", "top mistake", "most common wrong answer"):
        table.add_column(column, justify="right" if column in ("answers", "correct") else "left")
    for p in report.problems:
        top = p.mistakes.most_common(1)
        label = f"{top[0][0]} ({top[0][1]})" if top else ""
        wrong = p.most_common_wrong(top[0][0]) if top else None
        table.add_row(p.title, str(p.answers), f"{p.share_correct:.0%}", label,
                      wrong[0] if wrong else "")
    parts = [table]
    if report.learners:
        people = Table(title="learners", title_justify="left")
        for column in ("learner", "score", "answers", "slips"):
            people.add_column(column)
        for l in report.learners:
            people.add_row(l.student, f"{l.score:.0%}", str(l.answers),
                           ", ".join(f"{k} ({v})" for k, v in l.slips.most_common(3)))
        parts.append(people)
    return Group(*parts)


WRITERS = {".md": to_markdown, ".markdown": to_markdown, ".html": to_html, ".htm": to_html,
           ".csv": to_csv}

"""The terminal side of batch grading: where the results go, progress and summary.

The output file is never left half-written or torn, and a class's file is never lost:

* without ``--resume`` the results go to a temporary file beside the target, renamed
  over it only when the batch is complete (an existing file needs ``--force``);
* with ``--resume`` they are appended record by record (each line written whole and
  flushed); a rerun skips as many input records as the file has complete lines, after
  cutting off a torn last line — a batch killed with ``kill -9`` resumes and ends with
  exactly one line per input record;
* the output may not be the input; a missing folder, a folder, or a full disk is one
  clear error line. Devices (``/dev/null``, ``/dev/full``) are written directly.
"""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
from pathlib import Path

from calctutor.cli.output import console, dump_json
from calctutor.errors import CalcError


def run_batch_cli(path: Path, jobs: int | None, output: Path | None, plain: bool, *,
                  resume: bool = False, force: bool = False, fmt: str | None = None,
                  report: Path | None = None) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from calctutor.commands.batch import BatchSummary, add_to_summary, grade_rows, iter_records
    from calctutor.render import batch as batch_view

    if resume and output is None:
        raise CalcError("--resume needs --output FILE (the results so far)")
    if report is not None:
        _check_report_path(report, force)
    sink = _Sink(output, path, resume=resume, force=force)
    from calctutor.commands.batch_report import ReportBuilder, read_results

    report_rows = ReportBuilder()  # counts only: memory stays flat as the file grows
    err = console(plain, stderr=True)
    summary = BatchSummary()

    def tally(doc: dict) -> None:
        add_to_summary(summary, doc)
        report_rows.add(doc)

    try:
        records = iter_records(path, fmt)
        skipped = sink.already_done
        if skipped:  # the summary and the report cover the rows graded before, too
            for doc in itertools.islice(read_results([output]), skipped):
                tally(doc)
        for _ in range(skipped):
            if next(records, None) is None:
                break
        with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True,
                      disable=not err.is_terminal) as bar:
            task = bar.add_task("grading", total=None)
            for doc in grade_rows(records, jobs, progress=lambda n: bar.advance(task, n)):
                tally(doc)
                sink.write(dump_json(doc) + "\n")
        sink.commit()
    finally:
        sink.close()
    if skipped:
        err.print(f"resumed: {skipped} rows were already graded in {output}; the summary "
                  "covers all of them")
    err.print(batch_view.summary_table(summary))
    from calctutor.render import batch_report as report_view

    class_report = report_rows.report()
    if class_report.problems:
        err.print(report_view.to_rich(class_report))
    if report is not None:
        write_report(class_report, report, force)
        err.print(f"report written to {report}")


def _check_report_path(report: Path, force: bool) -> None:
    from calctutor.render.batch_report import WRITERS

    if Path(report).suffix.lower() not in WRITERS:
        raise CalcError(f"--report {report}: name a .md, .html or .csv file")
    if Path(report).is_dir():
        raise CalcError(f"--report {report} is a folder; name a file inside it")
    if not Path(report).resolve().parent.is_dir():
        raise CalcError(f"--report {report}: the folder {Path(report).parent} does not exist")
    if Path(report).exists() and not force:
        raise CalcError(f"--report {report} already exists; add --force to replace it")


def write_report(class_report, report: Path, force: bool) -> None:
    """The report file, written whole (temporary file beside it, then renamed)."""
    from calctutor.files import write_whole
    from calctutor.render.batch_report import WRITERS

    text = WRITERS[Path(report).suffix.lower()](class_report)
    write_whole(Path(report), lambda temp: temp.write_text(text, encoding="utf-8"))


def run_report_cli(results: list[Path], report: Path | None, plain: bool, force: bool) -> None:
    """A report over output files already graded (one batch's, or several shards')."""
    from calctutor.commands.batch_report import build_report, read_results
    from calctutor.render import batch_report as report_view

    if report is not None:
        _check_report_path(report, force)
    class_report = build_report(read_results(results))
    console(plain).print(report_view.to_rich(class_report))
    if report is not None:
        write_report(class_report, report, force)
        console(plain, stderr=True).print(f"report written to {report}")


class _Sink:
    """Where result lines go: stdout, a temporary file renamed at the end, or (resume)
    the file itself, appended line by line."""

    def __init__(self, output: Path | None, source: Path, *, resume: bool, force: bool) -> None:
        self.output = output
        self.already_done = 0
        self._temp: str | None = None
        self._handle = None
        if output is None:
            self._handle = sys.stdout
            return
        target = Path(output)
        if str(source) != "-" and _same_file(target, Path(source)):
            raise CalcError(f"--output {target} is the input file: the learners' answers "
                            "would be replaced by the results; choose another name")
        if target.is_dir():
            raise CalcError(f"--output {target} is a folder; name a file inside it")
        parent = target.parent if str(target.parent) else Path(".")
        if not parent.is_dir():
            raise CalcError(f"--output {target}: the folder {parent} does not exist")
        exists = target.exists()
        device = exists and not target.is_file()
        try:
            if device:
                self._handle = open(target, "w", encoding="utf-8")  # noqa: SIM115
            elif resume:
                self.already_done = _complete_lines(target) if exists else 0
                self._handle = open(target, "a", encoding="utf-8")  # noqa: SIM115
            else:
                if exists and not force:
                    raise CalcError(f"--output {target} already exists; add --force to "
                                    "replace it, or --resume to continue it")
                fd, self._temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial",
                                                  dir=parent)
                self._handle = os.fdopen(fd, "w", encoding="utf-8")
        except OSError as exc:
            raise CalcError(f"cannot write to {target}: {exc.strerror or exc}") from None

    def write(self, line: str) -> None:
        try:
            self._handle.write(line)
            self._handle.flush()
        except OSError as exc:
            where = self.output or "standard output"
            raise CalcError(f"cannot write to {where}: {exc.strerror or exc}; the results "
                            "so far are kept" + (" (rerun with --resume)" if self.output and
                                                 not self._temp else "")) from None

    def commit(self) -> None:
        if self._temp is None:
            return
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            os.replace(self._temp, self.output)
            self._temp = None
        except OSError as exc:
            raise CalcError(f"cannot write to {self.output}: {exc.strerror or exc}") from None

    def close(self) -> None:
        if self._handle is not None and self._handle is not sys.stdout:
            try:
                self._handle.close()
            except OSError:
                pass
        if self._temp is not None:  # not committed: the target stays as it was
            try:
                os.unlink(self._temp)
            except OSError:
                pass


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _complete_lines(target: Path) -> int:
    """Lines ending in a newline; a torn last line (a kill mid-write) is cut off."""
    with open(target, "rb+") as handle:
        data = handle.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            handle.truncate(end)
        return data[:end].count(b"\n")

"""The lesson tutor: the terminal session of a lesson, a shell beside the REPL.

- :mod:`session` — the session loop (pages, exercises, checkpoints, the summary) and
  :func:`run_lesson`, its entry point;
- :mod:`examples` — a lesson's worked examples run live through the commands.

It prints and asks through :mod:`calctutor.termio`, as the REPL does; what to ask and
how to grade it comes from the lesson engine, :mod:`calctutor.lessons`.
"""

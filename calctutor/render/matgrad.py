"""``calctutor.render.matgrad``: the renderer of ``calctutor.commands.matgrad`` results
under the name the lesson examples look for (the code is in :mod:`calctutor.render.matrix`)."""

from calctutor.render.matrix import to_json, to_latex, to_plain, to_rich

__all__ = ["to_json", "to_plain", "to_latex", "to_rich"]

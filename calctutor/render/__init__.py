"""Turning result objects into Rich renderables, plain text, LaTeX and JSON.

Renderers never compute calculus; logic never imports Rich.
"""

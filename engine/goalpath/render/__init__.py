"""Renderers: pure functions from a result (or a plan) to text, one module per format.

text (a terminal report, laid out by ``terminal``), markdown, html (one self-contained file), ics (a
calendar of checkpoints and reviews) and json. Nothing here reads files or evaluates
rules; the command line picks a renderer and writes what it returns.
"""

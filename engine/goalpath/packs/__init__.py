"""Tools for people who write rule packs: diagnostics, scenario tests and coverage,
rules as sentences, and the impact of a rule change on a set of profiles.

The ``goalpath rules`` commands are thin wrappers over these modules.
"""

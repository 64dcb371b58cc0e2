"""Rule families: one module each, each with a module-level ``RULES`` tuple.

See :mod:`readme_tools.registry` for how modules are discovered.
"""

"""The list as data: entries as records, section order, the stats block, and the writer.

Everything here reads the document model (:mod:`readme_tools.model`) and never parses
markdown on its own terms: :mod:`.records` turns entries into plain records (export, stats,
order keys), :mod:`.order` infers and applies a section's order (the ``section-order`` rule),
:mod:`.stats` renders the stats block (the ``stats-block`` rule), :mod:`.house` learns how a
section writes its entries, :mod:`.writer` writes a new one that way and :mod:`.place` says
where (for ``readme-tools add`` and ``import``, through :mod:`readme_tools.fmt.additions`,
which also runs the rules); :mod:`.export` and :mod:`.bibtex` write the records out.

The package reads the document model, the venue vocabulary and the metadata layer, never
the registry, the engine or the formatter (the rules import it).
"""

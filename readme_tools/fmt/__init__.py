"""``readme-fmt``: canonical formatting of paper lists.

Modules (its options are :class:`readme_tools.config.FormatOptions`):
:mod:`~readme_tools.fmt.canonical` (the canonical entry line), :mod:`~readme_tools.fmt.render`
(the single-pass layout of lists, the rest delegated to mdformat),
:mod:`~readme_tools.fmt.safety` (invariants), :mod:`~readme_tools.fmt.pipeline` (fix ordering
and application) and :mod:`~readme_tools.fmt.mdformat_plugin` (``mdformat --extensions
paperlist``).
"""

"""``readme-fmt``: the fixes of the selected rules, applied and verified.

Modules, in the order a run uses them: :mod:`~readme_tools.fmt.pipeline` (the stages: repair,
fixes, TOC, optional layout, verification), :mod:`~readme_tools.fmt.log` (the edits of every
round, traced back to the input), :mod:`~readme_tools.fmt.render` (the optional mdformat
layout, ``markdown = "mdformat"``), :mod:`~readme_tools.fmt.equivalence` and
:mod:`~readme_tools.fmt.align` (GitHub's rendering of input and output compared) and
:mod:`~readme_tools.fmt.mdformat_plugin` (``mdformat --extensions paperlist``).
"""

"""``python -m readme_tools.lsp``: the language server."""

from readme_tools.lsp import main

main()

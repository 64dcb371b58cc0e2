"""readme-tools: lint and format curated markdown paper lists."""

from readme_tools.version import __version__

__all__ = ["__version__"]

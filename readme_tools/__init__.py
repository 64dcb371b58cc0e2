"""readme-tools: lint and format curated markdown paper lists."""

__version__ = "0.1.0"

"""The package version (also ``readme_tools.__version__``)."""

__version__ = "0.1.0"

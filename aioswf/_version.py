"""The package's version, in a module of its own so that the connection can name it too."""

__version__ = "0.1.0"

"""Helpers for testing code that uses aioswf: a real moto server to run it against."""

from ._moto import MOTO_SETTINGS, MotoServer, MotoServerError

__all__ = ["MOTO_SETTINGS", "MotoServer", "MotoServerError"]

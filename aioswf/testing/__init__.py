"""Helpers for testing code that uses aioswf: a real moto server to run it against, and a
forwarding proxy in front of it that changes answers the way real SWF would."""

from ._history import HistoryBuilder
from ._moto import MOTO_SETTINGS, MotoServer, MotoServerError, MotoSettings
from ._proxy import SWFProxy

__all__ = ["MOTO_SETTINGS", "HistoryBuilder", "MotoServer", "MotoServerError", "MotoSettings", "SWFProxy"]

"""Actors: deciders and activity workers, each an asyncio task under an anyio task group."""

from ._actor import Actor, ActorStatistics
from ._decider import Decider, DecisionHandler
from ._group import ActorGroup
from ._tasks import ActivityTask, DecisionTask, heartbeat
from ._worker import ActivityFunction, ActivityWorker

__all__ = [
    "ActivityFunction",
    "ActivityTask",
    "ActivityWorker",
    "Actor",
    "ActorGroup",
    "ActorStatistics",
    "Decider",
    "DecisionHandler",
    "DecisionTask",
    "heartbeat",
]

"""Querysets: Django-manager-style access to what SWF holds."""

from ._domains import DomainQuerySet

__all__ = ["DomainQuerySet"]

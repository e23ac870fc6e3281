"""Behaviours: the generic answer and the API-specific modules registered by operationId."""

from .registry import Behaviour, Context, Registry, default_behaviours

__all__ = ["Behaviour", "Context", "Registry", "default_behaviours"]

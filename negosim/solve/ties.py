"""Tie rules: which action a player takes when indifferent (the choice is still flagged as a tie)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class TieRules:
    """Action preferences applied only among tied best responses.

    `prefer` is a global list of action labels, most preferred first (for example
    ``("accept", "impose", "freeze")``: a responder accepts and a threatener carries out its
    threat when indifferent). `per_node` maps a node id to its own list, which takes precedence.
    Among tied actions that no rule names, the one listed first at the node wins.
    """

    prefer: tuple[str, ...] = ()
    per_node: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "prefer", tuple(self.prefer))
        object.__setattr__(self, "per_node", MappingProxyType({k: tuple(v) for k, v in self.per_node.items()}))

    def __reduce__(self):
        # MappingProxyType cannot be pickled; rebuild from a plain dict (for worker processes).
        return (TieRules, (self.prefer, dict(self.per_node)))

    def priority(self, node_id: str, actions: tuple[str, ...]) -> list[int]:
        """Action indices of a node in the order a tie is broken (first wins)."""
        ranked: list[int] = []
        for label in (*self.per_node.get(node_id, ()), *self.prefer):
            if label in actions:
                j = actions.index(label)
                if j not in ranked:
                    ranked.append(j)
        ranked.extend(j for j in range(len(actions)) if j not in ranked)
        return ranked

    def describe(self) -> str:
        parts = []
        if self.prefer:
            parts.append("prefer " + ", ".join(self.prefer))
        for node, labels in self.per_node.items():
            parts.append(f"at {node} prefer " + ", ".join(labels))
        parts.append("otherwise the first action listed")
        return "; ".join(parts)


#: No preferences: among tied actions the first listed wins (the default of every solver).
NO_RULES = TieRules()

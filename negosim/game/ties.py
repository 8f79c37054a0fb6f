"""Tie rules: which action a player takes when indifferent (the choice is still flagged as a tie).

A game carries the tie rules of the scenario that built it (`GameTree.ties`, `NormalFormGame.ties`),
so every solver applies them without being told again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from types import MappingProxyType

from ..records import dataclass  # (frozen dataclasses made with less compiling: negosim.records)


@dataclass(frozen=True)
class TieRules:
    """Action preferences applied only among tied best responses.

    `prefer` is a global list of action labels, most preferred first (for example
    ``("accept", "impose", "freeze")``: a responder accepts and a threatener carries out its
    threat when indifferent). `per_node` maps a node id to its own list, which takes precedence.
    Among tied actions that no rule names, the one listed first at the node wins.

    Parameters
    ----------
    prefer : tuple of str
        Action labels, most preferred first, applied at every node.
    per_node : mapping of str to tuple of str
        Node id to its own preference list (which comes first).

    Examples
    --------
    >>> rules = TieRules(prefer=("accept",), per_node={"us": ("hold",)})
    >>> rules.priority("us", ("impose", "hold", "accept"))
    [1, 2, 0]
    """

    prefer: tuple[str, ...] = ()
    per_node: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefer", tuple(self.prefer))
        object.__setattr__(self, "per_node", MappingProxyType({k: tuple(v) for k, v in self.per_node.items()}))

    def __reduce__(self) -> tuple[type[TieRules], tuple[tuple[str, ...], dict[str, tuple[str, ...]]]]:
        # MappingProxyType cannot be pickled; rebuild from a plain dict (for worker processes).
        return (TieRules, (self.prefer, dict(self.per_node)))

    def priority(self, node_id: str, actions: tuple[str, ...]) -> list[int]:
        """Return the action indices of a node in the order a tie is broken (the first wins).

        Parameters
        ----------
        node_id : str
        actions : tuple of str
            The node's action labels.

        Returns
        -------
        list of int
        """
        ranked: list[int] = []
        for label in (*self.per_node.get(node_id, ()), *self.prefer):
            if label in actions:
                j = actions.index(label)
                if j not in ranked:
                    ranked.append(j)
        ranked.extend(j for j in range(len(actions)) if j not in ranked)
        return ranked

    def describe(self) -> str:
        """Return the rules in words, e.g. ``"prefer accept; otherwise the first action listed"``.

        Examples
        --------
        >>> TieRules(prefer=("accept",)).describe()
        'prefer accept; otherwise the first action listed'
        """
        parts = []
        if self.prefer:
            parts.append("prefer " + ", ".join(self.prefer))
        for node, labels in self.per_node.items():
            parts.append(f"at {node} prefer " + ", ".join(labels))
        parts.append("otherwise the first action listed")
        return "; ".join(parts)


#: The rules of a game built without any: among tied actions the one listed first wins.
NO_TIE_RULES = TieRules()

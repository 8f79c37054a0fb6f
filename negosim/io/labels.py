"""Ids from the labels of a Gambit file: the label when it says which thing it is, a number otherwise."""

from __future__ import annotations

from collections import Counter

from ..errors import GameFileError, Problem


def assign_ids(labels: list[str], fallbacks: list[str], taken: set[str] | None = None) -> list[str]:
    """One distinct id per item: its label when non-empty and unique among `labels`, else its fallback.

    In the rare case a fallback equals another item's label (or an id in `taken`), the later one
    gets a suffix ``_2``, ``_3``..., so ids are always distinct.
    """
    counts = Counter(labels)
    chosen = [label if label and counts[label] == 1 else fallback for label, fallback in zip(labels, fallbacks)]
    used = set(taken or ())
    out = []
    for cid in chosen:
        new, k = cid, 1
        while new in used:
            k += 1
            new = f"{cid}_{k}"
        used.add(new)
        out.append(new)
    return out


def numbered(labels: list[tuple[str, int]], what: str, file: str) -> tuple[str, ...]:
    """Labels with empty ones numbered from 1 by position; GameFileError on a repeated label.

    Players, strategies and actions are addressed by label (DESIGN.md section 6), so two with one
    label would be ambiguous; each `labels` item is ``(label, line)``.
    """
    out = tuple(label if label else str(k) for k, (label, _) in enumerate(labels, start=1))
    seen: set[str] = set()
    for label, (_, line) in zip(out, labels):
        if label in seen:
            raise GameFileError(Problem(f"two {what} are labelled {label!r}", file, line))
        seen.add(label)
    return out

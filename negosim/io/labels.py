"""Ids from the labels of a Gambit file: the label when it says which thing it is, a number otherwise."""

from __future__ import annotations

import warnings
from collections import Counter

from ..errors import InputNote, Problem


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
    """Labels with empty and repeated ones numbered from 1 by position, each `labels` item ``(label, line)``.

    Players, strategies and actions are addressed by label (DESIGN.md section 6), so two with one
    label would be ambiguous. Gambit allows it (two chance actions labelled ``"1/2"``), so such
    labels are numbered by position as empty ones are, and an `InputNote` says so. A label used
    once keeps it; a number that equals such a label gets a suffix (``2_2``).

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     numbered([("x", 1), ("x", 1), ("2", 1), ("", 1)], "actions", "g.efg")
    ('1', '2_2', '2', '4')
    """
    counts = Counter(label for label, _ in labels)
    used = {label for label, n in counts.items() if label and n == 1}
    ids = []
    for k, (label, _) in enumerate(labels, start=1):
        if label and counts[label] == 1:
            ids.append(label)
            continue
        new, suffix = str(k), 1
        while new in used:
            suffix += 1
            new = f"{k}_{suffix}"
        used.add(new)
        ids.append(new)
    out = tuple(ids)
    repeated = [label for label, n in counts.items() if label and n > 1]
    for label in repeated:
        line = next(at for lab, at in labels if lab == label)
        ids = [new for (lab, _), new in zip(labels, out) if lab == label]
        warnings.warn(InputNote(Problem(f"{len(ids)} {what} are labelled {label!r}; negosim numbers them by "
                                        f"position: {', '.join(ids)}", file, line)), stacklevel=2)
    return out

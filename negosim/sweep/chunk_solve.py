"""Solving one chunk of a sweep: its rows of the result table as typed columns (labels as codes) and each
point's outcome label as a code, from one batched build and solve; and the chunk encoded as the file an
executor hands back (a Parquet file's bytes, or CSV text).

`solve_chunk` and `encoded_chunk` are plain functions of picklable arguments, so a process pool or a Dask
cluster runs them as this process does; `negosim.sweep.engine` writes what they return.
"""

from __future__ import annotations

import numpy as np

from ..game.normal import NormalFormGame
from ..scenario.compiled import solve_tree_chunk
from ..solve.primary import NO_EQUILIBRIUM, equilibrium_outcomes, outcome_labels, primary_solution, reached_codes
from . import bargain_sweep, kinds, output
from .table import Coded, Column, ResultRows, parquet_bytes


def solve_chunk(scenario, params: dict[str, np.ndarray], start: int, concepts: tuple[str, ...] = (),
                lambdas: tuple[float, ...] = ()) -> tuple[ResultRows, np.ndarray, np.ndarray]:
    """Return one chunk of points (flat arrays in `params`, the first numbered `start`) solved: its rows
    of the result table as typed columns (`negosim.sweep.table.ResultRows`: labels as codes, numbers as
    floats, no text), and each point's outcome label as (sorted distinct labels, each point's index
    into them). `concepts` add their columns (`negosim.sweep.concept_columns`) to every row.
    A plain function of its arguments: executors run it in other processes or on other machines.

    Parameters
    ----------
    scenario : Scenario
        The scenario (a bargaining one is handed to `negosim.sweep.bargain_sweep.solve_chunk`).
    params : dict
        Parameter name -> 1-d array of the chunk's values (all the same length).
    start : int
        The chunk's first point number.
    concepts : tuple of str
        Column concepts (``"qre"``, ``"ce"``) whose columns are added.
    lambdas : tuple of float
        The QRE's lambdas.

    Returns
    -------
    rows : ResultRows
        The chunk's rows (one per equilibrium row of the primary answer).
    names : numpy.ndarray
        The sorted distinct outcome labels.
    codes : numpy.ndarray
        Each point's index into `names`.

    Raises
    ------
    ValueError
        When the built game's batch is not one point per parameter point.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> rows, names, codes = solve_chunk(s, {"rep": np.array([0.0, 4.0])}, 0)
    >>> print(rows.header())
    point,rep,concept,outcome,payoff_Entrant,payoff_Incumbent,tied
    >>> print(rows.csv_text(), end="")
    0,0.0,spe,shared_market,1.0,2.0,false
    1,4.0,spe,stay_out,0.0,4.0,false
    >>> names.tolist(), codes.tolist()
    (['shared_market', 'stay_out'], [0, 1])
    """
    if bargain_sweep.is_bargaining(scenario):
        return bargain_sweep.solve_chunk(scenario, params, start)
    n = len(next(iter(params.values())))
    # A tree of perfect information runs its compiled program (the same answers; None where it does not apply).
    compiled = None if concepts else solve_tree_chunk(scenario, params)
    game = scenario.build(params) if compiled is None else None
    if game is not None and game.batch_size != n:  # a varied parameter that no payoff uses
        raise ValueError(f"built a batch of {game.batch_size} points for {n} parameter points")
    sol = compiled if compiled is not None else primary_solution(game)  # type: ignore[arg-type]
    if isinstance(game, NormalFormGame):
        outcome = Coded(*_texts_codes(output.label_codes(equilibrium_outcomes(sol))))  # type: ignore[arg-type]
        names, codes = output.label_codes(_labels(scenario, game, params).reshape(-1))
    else:
        texts, row_codes = (compiled.texts, compiled.codes) if compiled is not None else reached_codes(sol)  # type: ignore[arg-type]
        outcome = Coded(tuple(str(t) for t in texts), row_codes)
        if len(sol.point) == n:
            names, codes = texts, row_codes
        else:  # points where a 3+ player subgame has no pure equilibrium have no row
            names = np.unique(np.append(texts, NO_EQUILIBRIUM))
            codes = np.full(n, int(np.searchsorted(names, NO_EQUILIBRIUM)), dtype=np.int32)
            codes[sol.point] = np.searchsorted(names, texts)[row_codes]
    players = list(scenario.player_ids)
    col_names = ["point", *params, "concept", "outcome", *(f"payoff_{p}" for p in players), "tied"]
    cols: list[Column] = [np.asarray(start + sol.point, dtype=np.int64)]
    cols += [np.asarray(v, dtype=float)[slice(None) if compiled is not None else sol.point] for v in params.values()]
    cols.append(Coded((str(sol.concept),), np.zeros(len(sol.point), dtype=np.int8)))
    cols.append(outcome)
    cols += [np.ascontiguousarray(sol.payoffs[:, i], dtype=float) for i in range(sol.payoffs.shape[1])]
    cols.append(np.asarray(sol.tied, dtype=bool))
    if concepts:
        from .concept_columns import column_names, point_columns

        extra = point_columns(game, concepts, lambdas)  # type: ignore[arg-type]  # (built: no compiled path with concepts)
        col_names += column_names(game, concepts, lambdas)  # type: ignore[arg-type]
        cols += [np.asarray(extra[sol.point, j], dtype=float) for j in range(extra.shape[1])]
    if game is not None and kinds.is_signalling(game):
        kind_names, kind_codes = np.unique(kinds.game_kind_labels(game).astype(str), return_inverse=True)
        col_names.append(kinds.KIND_COLUMN)
        cols.append(Coded(tuple(kind_names.tolist()), np.asarray(kind_codes).reshape(-1)[sol.point]))
    return ResultRows(tuple(col_names), tuple(cols)), names, codes


def encoded_chunk(scenario, params: dict[str, np.ndarray], start: int, concepts: tuple[str, ...] = (),
                  lambdas: tuple[float, ...] = (), table: str = "parquet") -> tuple[bytes, int, np.ndarray, np.ndarray]:
    """Return `solve_chunk`'s answer with its rows encoded as the chunk file of the `table` format (a
    Parquet file, or CSV text), and their count: what an executor sends back (bytes, not objects, and
    the encoding done where the solving was).

    Parameters
    ----------
    scenario, params, start, concepts, lambdas
        As `solve_chunk`.
    table : {"parquet", "csv"}
        The format.

    Returns
    -------
    data : bytes
        The chunk's rows file.
    count : int
        Its number of rows.
    names, codes : numpy.ndarray
        Each point's outcome label, as `solve_chunk`.

    Examples
    --------
    >>> import numpy as np
    >>> from negosim.scenario import load_scenario
    >>> s = load_scenario("scenarios/entry_deterrence.yaml")
    >>> data, count, names, codes = encoded_chunk(s, {"rep": np.array([0.0, 4.0])}, 0, table="csv")
    >>> data, count
    (b'0,0.0,spe,shared_market,1.0,2.0,false\\n1,4.0,spe,stay_out,0.0,4.0,false\\n', 2)
    """
    return encoded_rows(*solve_chunk(scenario, params, start, concepts, lambdas), table)


def encoded_rows(rows: ResultRows, names: np.ndarray, codes: np.ndarray,
                 table: str = "parquet") -> tuple[bytes, int, np.ndarray, np.ndarray]:
    """Return `solve_chunk`'s answer ``(rows, names, codes)`` as `encoded_chunk` does: the rows encoded
    as the chunk file of the `table` format, their count, and the labels.

    Parameters
    ----------
    rows : ResultRows
        The chunk's rows.
    names, codes : numpy.ndarray
        Each point's outcome label (`solve_chunk`).
    table : {"parquet", "csv"}
        The format.

    Returns
    -------
    tuple
        ``(data, count, names, codes)``, as `encoded_chunk`.

    Examples
    --------
    >>> import numpy as np
    >>> rows = ResultRows(("point", "tied"), (np.array([0, 1]), np.array([False, True])))
    >>> encoded_rows(rows, np.array(["a"]), np.array([0, 0]), table="csv")[:2]
    (b'0,false\\n1,true\\n', 2)
    """
    data = parquet_bytes(rows) if table == "parquet" else rows.csv_text().encode()
    return data, len(rows), names, codes


def _texts_codes(found: tuple[np.ndarray, np.ndarray]) -> tuple[tuple[str, ...], np.ndarray]:
    return tuple(str(t) for t in found[0]), found[1]


def _labels(scenario, game: NormalFormGame, params) -> np.ndarray:
    """A normal form's outcome labels: its pure equilibria, or for a repeated game the profiles grim
    trigger sustains (`negosim.scenario.repeated_analysis.repeated_labels`)."""
    if scenario.form == "repeated":
        from ..scenario.repeated_analysis import repeated_labels

        return repeated_labels(scenario, params)
    return outcome_labels(game)


__all__ = ["encoded_chunk", "encoded_rows", "solve_chunk"]

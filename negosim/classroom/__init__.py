"""The live classroom: a local web server where students play a scenario in groups on their phones and
the teacher projects the class's choices against the equilibrium (the optional extra
``negosim[classroom]``: Starlette, uvicorn, qrcode).

Nothing here is imported by ``negosim`` itself; `negosim.cli` imports `negosim.classroom.server` only
for the ``classroom`` command, after checking the extra is installed.
"""

REQUIRED = ("starlette", "uvicorn", "qrcode")


def missing_requirements() -> list[str]:
    """The packages of the ``classroom`` extra that are not installed (none: the server can start).

    Returns
    -------
    list of str
        The names in ``REQUIRED`` that cannot be imported, in its order.

    Examples
    --------
    >>> set(missing_requirements()) <= set(REQUIRED)
    True
    """
    from importlib.util import find_spec

    return [name for name in REQUIRED if find_spec(name) is None]


__all__ = ["REQUIRED", "missing_requirements"]

"""Start the classroom server: open the session, print the join and teacher addresses with the QR
code, and serve until Ctrl-C."""

from __future__ import annotations

import socket
import sys

from .session import Classroom
from .web import create_app

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def lan_address() -> str:
    """This machine's address on the local network (the one a phone on the same Wi-Fi can reach).

    Connecting a UDP socket sends nothing; it only asks the OS which interface would be used.

    Returns
    -------
    str
        The IPv4 address, or ``"127.0.0.1"`` when there is no network.

    Examples
    --------
    >>> import ipaddress
    >>> ipaddress.ip_address(lan_address()).version
    4
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def addresses(host: str, port: int, token: str) -> tuple[str, str]:
    """(students' join URL, teacher's URL with the token in its fragment).

    Parameters
    ----------
    host : str
        The address the server listens on; for all interfaces (``0.0.0.0``, ``::``, empty) the URLs show
        `lan_address` instead.
    port : int
        The server's port.
    token : str
        The teacher's token.

    Returns
    -------
    tuple of str
        The join URL and the teacher's URL.

    Examples
    --------
    >>> addresses("192.168.1.5", 8000, "abc")
    ('http://192.168.1.5:8000/', 'http://192.168.1.5:8000/teacher#token=abc')
    >>> addresses("::1", 8000, "abc")[0]
    'http://[::1]:8000/'
    """
    shown = lan_address() if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    base = f"http://{shown}:{port}/"
    return base, f"{base}teacher#token={token}"


def serve(files: list[str], host: str, port: int, state: str, seed: int | None = None, out=None) -> int:
    """Run the classroom until interrupted; return the exit code.

    Prints the join URL (with its QR code) and the teacher's URL, then serves until Ctrl-C; every move
    is stored in the state folder as it is made.

    Parameters
    ----------
    files : list of str
        The scenarios and game files the class plays.
    host : str
        The address to listen on (``0.0.0.0``: every interface, so that phones can join).
    port : int
        The port to listen on.
    state : str
        The state folder (a new session, or the one stored there resumed).
    seed : int, optional
        The seed of a new session (random when None).
    out : file, optional
        Where the addresses are printed (standard error when None).

    Returns
    -------
    int
        The exit code (0 once stopped).

    Raises
    ------
    UsageError
        When the state folder holds a session of other files (before anything is served).

    Examples
    --------
    Serving blocks, so the example shows only the check made before it starts:

    >>> import tempfile
    >>> from negosim.classroom.session import Classroom
    >>> tmp = tempfile.TemporaryDirectory()
    >>> Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name, seed=1).store.close()
    >>> serve(["scenarios/entry_deterrence.yaml"], "127.0.0.1", 8000, tmp.name)
    Traceback (most recent call last):
        ...
    negosim.errors.NegosimUsageError: the state folder ... holds a session of other files or of files that have changed
    since; name the same files or another --state folder
    >>> tmp.cleanup()
    """
    import uvicorn

    from .qr import qr_terminal

    out = out or sys.stderr
    room = Classroom(files, state, seed=seed)
    join, teacher = addresses(host, port, room.meta["teacher_token"])
    app = create_app(room, join)
    print(qr_terminal(join), file=out)
    print(f"Students join at:  {join}", file=out)
    print(f"Teacher's page:    {teacher}", file=out)
    print(f"Explorer (teacher): {teacher.replace('/teacher#', '/explore#')}", file=out)
    print("(keep the teacher's address private: its token starts rounds, reveals and exports)", file=out)
    if host in LOOPBACK:
        print("Listening on this computer only; to let phones on the same network join, add --host 0.0.0.0",
              file=out)
    print(f"Session state: {room.store.path} (restart with the same --state to resume). Ctrl-C stops.", file=out)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            limit_concurrency=1000, timeout_graceful_shutdown=3)
    try:
        uvicorn.Server(config).run()
    except KeyboardInterrupt:  # uvicorn re-raises the Ctrl-C it has handled; it has shut down already
        pass
    finally:
        room.store.close()
    print("classroom stopped; every move is saved in " + str(room.store.path), file=out)
    return 0


def serve_explorer(files: list[str], host: str, port: int, out=None) -> int:
    """Run the explorer alone until interrupted; return the exit code.

    Parameters
    ----------
    files : list of str
        The scenarios and game files the explorer offers.
    host : str
        The address to listen on.
    port : int
        The port to listen on.
    out : file, optional
        Where the address is printed (standard error when None).

    Returns
    -------
    int
        The exit code (0 once stopped).

    Examples
    --------
    Serving blocks, so the example shows only the check of the files made before it starts:

    >>> serve_explorer(["scenarios/no_such_file.yaml"], "127.0.0.1", 8000)
    Traceback (most recent call last):
        ...
    negosim.errors.NegosimInputError: scenarios/no_such_file.yaml: no such file
    """
    import uvicorn

    from ..api import open_source
    from .web import create_explorer_app

    out = out or sys.stderr
    sources = [open_source(f) for f in files]
    base, _ = addresses(host, port, "")
    print(f"Explorer: {base}explore   (Ctrl-C stops)", file=out)
    config = uvicorn.Config(create_explorer_app(sources), host=host, port=port, log_level="warning",
                            access_log=False, timeout_graceful_shutdown=3)
    try:
        uvicorn.Server(config).run()
    except KeyboardInterrupt:
        pass
    print("explorer stopped", file=out)
    return 0


__all__ = ["addresses", "lan_address", "serve", "serve_explorer"]

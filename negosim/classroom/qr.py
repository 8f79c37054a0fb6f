"""The join URL as a QR code: SVG for the teacher's page, half-block characters for the terminal."""

from __future__ import annotations


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code's modules (True: dark), with a quiet zone of four modules.

    Parameters
    ----------
    text : str
        What the code encodes (the join URL).

    Returns
    -------
    list of list of bool
        The square matrix of modules, row by row.

    Examples
    --------
    >>> m = qr_matrix("hi")
    >>> len(m), len(m[0]), m[0][0], m[4][4]
    (29, 29, False, True)
    """
    import qrcode

    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_svg(text: str, module: int = 8) -> str:
    """An SVG image of the QR code of `text` (one path, crisp at any size).

    Parameters
    ----------
    text : str
        What the code encodes.
    module : int
        The width and height in pixels of one module.

    Returns
    -------
    str
        The SVG element.

    Examples
    --------
    >>> svg = qr_svg("hi", module=2)
    >>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29" width="58"'), svg[-6:]
    (True, '</svg>')
    """
    m = qr_matrix(text)
    n = len(m)
    cells = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(m) for x, dark in enumerate(row) if dark)
    size = n * module
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="{size}" height="{size}" '
            f'shape-rendering="crispEdges" role="img" aria-label="QR code of {_escape(text)}">'
            f'<rect width="{n}" height="{n}" fill="#fff"/><path d="{cells}" fill="#000"/></svg>')


def qr_terminal(text: str) -> str:
    """The QR code drawn with half blocks, two modules per character cell (dark on a light terminal
    background is drawn as spaces on blocks, so it scans on dark terminals too).

    Parameters
    ----------
    text : str
        What the code encodes.

    Returns
    -------
    str
        The lines of the drawing, joined by newlines.

    Examples
    --------
    >>> lines = qr_terminal("hi").splitlines()
    >>> len(lines), len(lines[0]), set(lines[0])
    (15, 29, {'\u2588'})
    """
    m = qr_matrix(text)
    if len(m) % 2:
        m.append([False] * len(m[0]))
    glyph = {(False, False): "\u2588", (True, False): "\u2584", (False, True): "\u2580", (True, True): " "}
    return "\n".join("".join(glyph[(top, bottom)] for top, bottom in zip(m[y], m[y + 1]))
                     for y in range(0, len(m), 2))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


__all__ = ["qr_matrix", "qr_svg", "qr_terminal"]

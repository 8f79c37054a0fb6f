"""Formulas as mathematics: MathML from a formula's syntax tree, and `$...$` spans in prose.

A handout prints formulas for students, who read `beta * (cR + cU)` as code. `formula_mathml`
renders the same formula as MathML (β(c_R + c_U)): Greek names become letters, a name such as
`cR` or `X_aid` gets a subscript, `/` becomes a fraction, `**` a superscript, `clip(x, a, b)`
becomes min(max(x, a), b), and parentheses appear only where precedence needs them. The text is
parsed with the same whitelist as every formula (`negosim.expr.parse_formula`, never `eval`),
so only formula syntax reaches the renderer. Browsers draw MathML natively: no script, no font
or network request.

>>> formula_mathml("beta * (cR + cU)")[:55]
'<math><mrow><mrow><mi>β</mi><mo>&#8290;</mo><mrow><mo>('
>>> "<mfrac>" in formula_mathml("tau / (tau + q * (R - P))")
True
"""

from __future__ import annotations

import ast
import re
from html import escape

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "eta": "η",
    "theta": "θ", "Theta": "Θ", "kappa": "κ", "lam": "λ", "lambda_": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "Sigma": "Σ", "tau": "τ", "phi": "φ", "Phi": "Φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Omega": "Ω", "Gamma": "Γ", "Lambda": "Λ", "Pi": "Π",
}
_SUBSCRIPTED = re.compile(r"^([a-z])([A-Z]+)$")  # cR, aS, kT: a letter and its owner's initial
_PREC = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Pow: 4}
_CMP = {ast.Lt: "&lt;", ast.LtE: "≤", ast.Gt: "&gt;", ast.GtE: "≥", ast.Eq: "=", ast.NotEq: "≠"}
_INVISIBLE_TIMES = "<mo>&#8290;</mo>"
_SPAN = re.compile(r"\$([^$]+)\$")
_EQUALS = re.compile(r"(?<![<>=!])=(?!=)")


def symbol_mathml(name: str) -> str:
    """Return the MathML (without <math>) of a parameter or derived name: `cR` is c with subscript R.

    Parameters
    ----------
    name : str

    Returns
    -------
    str

    Examples
    --------
    >>> from negosim.present.report.mathml import symbol_mathml
    >>> symbol_mathml("cR")
    '<msub><mi>c</mi><mi>R</mi></msub>'
    """
    base, sub = name, ""
    if "_" in name.strip("_"):
        base, sub = name.split("_", 1)
    elif (m := _SUBSCRIPTED.match(name)) and name not in GREEK:
        base, sub = m.group(1), m.group(2)
    base_ml = _identifier(base)
    return f"<msub>{base_ml}{_identifier(sub)}</msub>" if sub else base_ml


def _identifier(word: str) -> str:
    if word in GREEK:
        return f"<mi>{GREEK[word]}</mi>"
    # Several letters form one word (min, cost, aid): upright, as names are set in mathematics.
    variant = ' mathvariant="normal"' if len(word) > 1 else ""
    return f"<mi{variant}>{escape(word)}</mi>"


def formula_mathml(source: str, *, display: bool = False) -> str:
    """Return the formula `source` as a <math> element.

    Parameters
    ----------
    source : str
        A formula in the scenario format's syntax.
    display : bool
        A block (``display="block"``) rather than inline formula.

    Returns
    -------
    str

    Raises
    ------
    FormulaError
        If `source` is not a formula.

    Examples
    --------
    >>> from negosim.present.report.mathml import formula_mathml
    >>> formula_mathml("p - cR")
    '<math><mrow><mrow><mi>p</mi><mo>&#8722;</mo><msub><mi>c</mi><mi>R</mi></msub></mrow></mrow></math>'
    """
    from ...expr import parse_formula

    parse_formula(source)  # the whitelist: only formula syntax reaches ast below
    tree = ast.parse(" ".join(str(source).splitlines()).strip(), mode="eval").body
    attr = ' display="block"' if display else ""
    return f"<math{attr}><mrow>{_node(tree)}</mrow></math>"


def prose_html(text: str) -> str:
    """Return `text` escaped as HTML, with each `$formula$` span rendered as MathML.

    A span may be an equation, `$x = a / b$`: each side is a formula.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> from negosim.present.report.mathml import prose_html
    >>> prose_html("If $p > q$ & more")
    'If <math><mrow><mrow><mi>p</mi><mo>&gt;</mo><mi>q</mi></mrow></mrow></math> &amp; more'
    """
    out, last = [], 0
    for m in _SPAN.finditer(text):
        out.append(escape(text[last:m.start()]))
        sides = [formula_mathml(side)[6:-7] for side in _EQUALS.split(m.group(1))]  # each side's <mrow>
        out.append("<math>" + "<mo>=</mo>".join(sides) + "</math>")
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def prose_formulas(text: str) -> list[str]:
    """Return the `$...$` formula spans of a text (for validation).

    Parameters
    ----------
    text : str

    Returns
    -------
    list of str

    Examples
    --------
    >>> from negosim.present.report.mathml import prose_formulas
    >>> prose_formulas("Russia accepts when $x >= p - cR$ and $mu > 0$.")
    ['x >= p - cR', 'mu > 0']
    """
    return [m.group(1) for m in _SPAN.finditer(text)]


def prose_plain(text: str) -> str:
    """Return `text` with its `$...$` markers removed (for a terminal).

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> from negosim.present.report.mathml import prose_plain
    >>> prose_plain("If $p > 1/2$ then")
    'If p > 1/2 then'
    """
    return _SPAN.sub(lambda m: m.group(1), text)


def _number(value) -> str:
    text = repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    return f"<mn>{escape(text)}</mn>"


def _paren(inner: str) -> str:
    return f"<mrow><mo>(</mo>{inner}<mo>)</mo></mrow>"


def _prec(node: ast.AST) -> int:
    if isinstance(node, ast.BinOp):
        return _PREC[type(node.op)]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return 3 if not isinstance(node.operand, ast.Constant) else 5
    if isinstance(node, (ast.Compare, ast.BoolOp, ast.IfExp)) or isinstance(node, ast.UnaryOp):
        return 0
    return 5


def _operand(node: ast.AST, least: int) -> str:
    inner = _node(node)
    return _paren(inner) if _prec(node) < least else inner


def _call_args(node: ast.Call) -> str:
    parts = "<mo>,</mo>".join(_node(a) for a in node.args)
    return _paren(parts)


def _node(node: ast.AST) -> str:  # noqa: C901 - one case per syntax the whitelist allows
    if isinstance(node, ast.Constant):
        return _number(node.value)
    if isinstance(node, ast.Name):
        return symbol_mathml(node.id)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub):
            return f"<mrow><mo>&#8722;</mo>{_operand(node.operand, 3)}</mrow>"
        if isinstance(node.op, ast.UAdd):
            return _node(node.operand)
        return f"<mrow><mtext>not&#160;</mtext>{_operand(node.operand, 5)}</mrow>"
    if isinstance(node, ast.BinOp):
        op = type(node.op)
        if op is ast.Div:
            return f"<mfrac><mrow>{_node(node.left)}</mrow><mrow>{_node(node.right)}</mrow></mfrac>"
        if op is ast.Pow:
            return f"<msup>{_operand(node.left, 5)}<mrow>{_node(node.right)}</mrow></msup>"
        p = _PREC[op]
        left = _operand(node.left, p)
        right = _operand(node.right, p + 1)  # a - (b + c), a / (b * c): the right side keeps its parentheses
        if op is ast.Mult:
            numeric = isinstance(node.right, ast.Constant) or (
                isinstance(node.right, ast.UnaryOp) and isinstance(node.right.operand, ast.Constant))
            sign = "<mo>×</mo>" if numeric else _INVISIBLE_TIMES
        else:
            sign = "<mo>+</mo>" if op is ast.Add else "<mo>&#8722;</mo>"
        return f"<mrow>{left}{sign}{right}</mrow>"
    if isinstance(node, ast.Compare):
        parts = [_operand(node.left, 1)]
        for comparison, term in zip(node.ops, node.comparators):
            parts.append(f"<mo>{_CMP[type(comparison)]}</mo>{_operand(term, 1)}")
        return f"<mrow>{''.join(parts)}</mrow>"
    if isinstance(node, ast.BoolOp):
        word = "and" if isinstance(node.op, ast.And) else "or"
        joined = f"<mtext>&#160;{word}&#160;</mtext>".join(_operand(v, 1) for v in node.values)
        return f"<mrow>{joined}</mrow>"
    if isinstance(node, ast.IfExp):
        return _cases(node.body, node.test, node.orelse)
    if isinstance(node, ast.Call):
        return _call(node)
    raise ValueError(f"no MathML for {ast.dump(node)}")  # unreachable after the whitelist


def _cases(value: ast.AST, test: ast.AST, other: ast.AST) -> str:
    rows = (f"<mtr><mtd>{_node(value)}</mtd><mtd><mtext>if&#160;</mtext>{_node(test)}</mtd></mtr>"
            f"<mtr><mtd>{_node(other)}</mtd><mtd><mtext>otherwise</mtext></mtd></mtr>")
    return f'<mrow><mo>{{</mo><mtable columnalign="left left">{rows}</mtable></mrow>'


def _call(node: ast.Call) -> str:
    name = node.func.id  # type: ignore[attr-defined]  # the whitelist allows plain names only
    args = node.args
    if name == "clip":
        inner = ast.Call(func=ast.Name("max"), args=[args[0], args[1]], keywords=[])
        return _call(ast.Call(func=ast.Name("min"), args=[inner, args[2]], keywords=[]))
    if name == "where":
        return _cases(args[1], args[0], args[2])
    if name == "sqrt":
        return f"<msqrt>{_node(args[0])}</msqrt>"
    if name == "abs":
        return f"<mrow><mo>|</mo>{_node(args[0])}<mo>|</mo></mrow>"
    if name == "exp":
        return f"<msup><mi>e</mi><mrow>{_node(args[0])}</mrow></msup>"
    word = "ln" if name == "log" else name
    return f'<mrow><mi mathvariant="normal">{word}</mi><mo>&#8289;</mo>{_call_args(node)}</mrow>'


__all__ = ["formula_mathml", "prose_formulas", "prose_html", "prose_plain", "symbol_mathml"]

"""The libyaml fast path reads every file it accepts exactly as the careful ruamel path does."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negosim.errors import ScenarioError
from negosim.scenario.yamlfast import fast_load
from negosim.scenario.yamlio import _careful_parse, parse_yaml

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(p for p in [*ROOT.glob("scenarios/**/*.yaml"), *ROOT.glob("tests/**/*.yaml"),
                           *ROOT.glob("docs/**/*.yaml")] if ".git" not in p.parts)


def careful(text: str):
    try:
        doc = _careful_parse(text, "x.yaml", "")
    except ScenarioError:
        return None
    return doc.data, doc.lines


def test_there_are_files_to_compare():
    assert len(FILES) > 20
    assert sum(fast_load(p.read_text("utf-8-sig")) is not None for p in FILES) > 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_file_reads_the_same(path):
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    fast = fast_load(text)
    if fast is None:
        return  # the careful path alone reads it
    slow = careful(text)
    assert slow is not None, "the fast path accepted a file the careful path refuses"
    assert repr(fast[0]) == repr(slow[0])
    assert fast[1] == slow[1]


# Plain scalars built from the characters that decide how YAML 1.2 reads them.
SCALAR = st.text(alphabet="0123456789.eE+-_:xob ~TtrueFalsNlnyY=<", min_size=0, max_size=8)


@settings(max_examples=400, deadline=None)
@given(st.lists(SCALAR, min_size=1, max_size=4), st.booleans())
def test_plain_scalars_resolve_as_ruamel_resolves_them(values, as_keys):
    if as_keys:
        text = "".join(f"{v}: 1\n" for v in values)
    else:
        text = "".join(f"k{i}: {v}\nl{i}: [{v}, x]\n" for i, v in enumerate(values))
    fast = fast_load(text)
    if fast is None:
        return
    slow = careful(text)
    assert slow is not None
    assert repr(fast[0]) == repr(slow[0])
    assert fast[1] == slow[1]


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",             # duplicate key
    "a: !!float 1\n",           # tag
    "a: &x 1\nb: *x\n",         # anchor and alias
    "<<: {a: 1}\n",             # merge key
    "1: a\n",                   # a key that is not text
    "a: 2001-12-14\n",          # a date
    "a: [1, 2\n",               # a syntax error
    "a: 0x1F\n",                # hexadecimal
    "- a\n",                    # not a mapping
    "",                         # empty
])
def test_files_with_a_problem_or_a_rare_value_take_the_careful_path(text):
    assert fast_load(text) is None


def test_duplicate_keys_are_still_reported_with_their_line():
    with pytest.raises(ScenarioError) as err:
        parse_yaml(b"a: 1\nb: 2\na: 3\n", "x.yaml")
    assert "x.yaml:3: duplicate key 'a'" in str(err.value)

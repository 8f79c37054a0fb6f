"""Sphinx configuration: the Markdown pages (myst-parser) and the API reference (autodoc) in one site.

Build with warnings as errors (as CI does):  python -m sphinx -W --keep-going -b html docs docs/_build/html
"""

from __future__ import annotations

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)

project = "negosim"
author = "negosim contributors"
release = "0.1.0"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
# figures/*.md are generated tables (experiments/run_all.py --docs) that the pages link to, not pages.
exclude_patterns = ["_build", "classroom/handouts", "figures", "**/.ipynb_checkpoints", "tutorial.ipynb"]

# numpydoc-style docstrings ("Parameters", "Returns", "Raises", "Examples" sections) through napoleon.
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": False}
autosummary_generate = False

# The Markdown pages link to files of the repository outside the documentation (scenarios,
# experiments, the README, generated handouts). Sphinx cannot resolve those as documents; they are
# links for readers of the repository on GitHub, so they are not reported as broken references.
suppress_warnings = ["myst.xref_missing"]
myst_heading_anchors = 3

html_theme = "alabaster"
html_static_path: list[str] = []

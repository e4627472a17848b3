"""Sphinx configuration of the vcbound documentation.

Build (no network access needed; about half a minute)::

    python -m sphinx -W docs docs/_build

``tests/test_docs.py`` runs the same build with ``-W`` (warnings are errors).
"""

import os
import sys

# Document the vcbound next to this folder (the worktree's), not another installed copy.
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

import vcbound  # noqa: E402

project = "vcbound"
author = "the vcbound developers"
copyright = "2026, the vcbound developers"
version = release = vcbound.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
]

# Everything is local: no intersphinx, no remote images. MathJax is loaded by the reader's browser
# when the HTML is viewed, never at build time.
templates_path = []
exclude_patterns = ["_build"]
root_doc = "index"
language = "en"
today_fmt = "%Y-%m-%d"

# numpydoc: the docstrings are numpydoc. Class members are documented by autodoc's :members:,
# so numpydoc must not build its own (autosummary) member tables.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_validation_checks = set()

# numpydoc "References" sections list sources as citations ([BHLM], [Li22], ...) that the
# docstring text names in words rather than as [BHLM]_ links; Sphinx would warn that each is
# "not referenced". Only that category is silenced; every other warning fails the -W build.
suppress_warnings = ["ref.citation"]

autodoc_member_order = "bysource"
autodoc_typehints = "none"
autodoc_default_options = {"undoc-members": False}

html_theme = "alabaster"
html_static_path = []
html_title = f"vcbound {release}"
html_show_sourcelink = False
html_copy_source = False

"""The shipped documentation in docs/: it builds without a single warning, and every place the code,
CLI, tests or notebooks cite it names a page and section that exist.

The Sphinx build is the one CI needs to keep passing (``python -m sphinx -W docs docs/_build``); it
runs in a fresh temporary directory, so a stale docs/_build cannot hide a warning.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# "vcbound docs §Routes": a section title of docs/*.rst after a section sign
CITATION = re.compile(r"§([A-Z][^§\n]*)")
UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")


def _sections(rst_text):
    """(page title, set of section titles) of one reStructuredText file."""
    lines = rst_text.splitlines()
    titles = []
    for i in range(1, len(lines)):
        title = lines[i - 1].strip()
        if (title and UNDERLINE.match(lines[i]) and len(lines[i].rstrip()) >= len(title)
                and not UNDERLINE.match(lines[i - 1])):
            titles.append(title)
    return (titles[0] if titles else None), set(titles)


def _pages():
    pages = {}
    for path in DOCS.glob("*.rst"):
        page, sections = _sections(path.read_text(encoding="utf-8"))
        if page is not None:
            pages[page] = sections
    return pages


def _repository_text_files():
    for top in ("vcbound", "tests", "notebooks", "benchmarks", "docs"):
        for path in (ROOT / top).rglob("*"):
            if "_build" in path.parts or not path.is_file():
                continue
            if path.suffix in (".py", ".ipynb", ".rst", ".md", ".txt", ".cfg"):
                yield path
    yield ROOT / "README.md"
    yield ROOT / "setup.cfg"


@pytest.fixture(scope="module")
def built_docs(tmp_path_factory):
    """``sphinx -W`` on docs/ into a fresh folder: (return code, output, html folder)."""
    tmp = tmp_path_factory.mktemp("docs")
    out = tmp / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp / "doctrees"), str(DOCS), str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    return proc.returncode, proc.stdout[-3000:] + proc.stderr[-5000:], out


def test_sphinx_build_has_no_warnings(built_docs):
    """``sphinx -W`` on docs/: any warning (bad docstring markup, a toctree entry without a page,
    an unresolved reference) fails, with Sphinx's own message shown."""
    returncode, output, out = built_docs
    assert returncode == 0, output
    for page in ("index", "math", "guide", "api"):
        assert (out / f"{page}.html").is_file()
    # the math really is math: MathJax blocks, not literal text
    assert 'class="math notranslate' in (out / "math.html").read_text(encoding="utf-8")
    api = (out / "api.html").read_text(encoding="utf-8")
    assert 'id="vcbound.solver.solve"' in api


def test_api_reference_lists_every_public_name(built_docs):
    """Every name ``vcbound`` exports (its lazy table and the exceptions) has an entry in the API
    reference, so a new public function cannot be left undocumented."""
    import vcbound

    returncode, output, out = built_docs
    assert returncode == 0, output
    api = (out / "api.html").read_text(encoding="utf-8")
    expected = {f"vcbound.{module}.{name}" for name, module in vcbound._LAZY.items()}
    expected |= {f"vcbound.errors.{name}" for name in vcbound.__all__
                 if name.endswith("Error")}
    missing = sorted(e for e in expected if f'id="{e}"' not in api)
    assert missing == []


def _html_math(html_text):
    """The TeX of every inline ``\\(...\\)`` and display ``\\[...\\]`` formula Sphinx wrote."""
    import html

    inline = re.findall(r'<span class="math notranslate nohighlight">\\\((.*?)\\\)</span>',
                        html_text, re.S)
    display = re.findall(r'<div class="math notranslate nohighlight">\s*\\\[(.*?)\\\]\s*</div>',
                         html_text, re.S)
    return [html.unescape(t) for t in inline + display]


def test_docs_math_is_valid_mathjax(built_docs):
    """Every formula of the built pages goes through MathJax 3 itself (what the HTML pages load);
    a TeX error there would show the reader red source instead of mathematics."""
    returncode, output, out = built_docs
    assert returncode == 0, output
    from _render_checks import mathjax_errors

    formulas = {}
    for page in sorted(out.glob("*.html")):
        for tex in _html_math(page.read_text(encoding="utf-8")):
            formulas.setdefault(tex, page.name)
    assert len(formulas) > 100          # math.rst alone has a few hundred
    try:
        errors = mathjax_errors(list(formulas))
    except RuntimeError as exc:
        pytest.skip(f"MathJax 3 not available: {exc}")
    bad = {tex[:80]: (formulas[tex], err) for tex, err in zip(formulas, errors) if err}
    assert bad == {}


def test_no_reference_to_an_unshipped_spec_file():
    """The repository ships docs/; nothing may send the reader to the internal spec file."""
    needle = "MATH" + ".md"
    offenders = [f"{p.relative_to(ROOT)}:{i}"
                 for p in _repository_text_files()
                 for i, line in enumerate(p.read_text(encoding="utf-8", errors="replace")
                                          .splitlines(), 1)
                 if needle in line]
    assert offenders == []


def _cited_title(text, titles):
    """The longest section title that ``text`` (what follows a section sign) starts with, ending at
    a word boundary; None if there is none."""
    best = None
    for title in titles:
        if text.startswith(title) and not text[len(title):len(title) + 1].isalnum():
            if best is None or len(title) > len(best):
                best = title
    return best


def test_every_docs_citation_names_an_existing_section():
    """Each "vcbound docs §<Section>" in code, CLI text, tests and notebooks must start with the title
    of a section of docs/*.rst, and that title must be unique among the pages, so a reader finds
    what is cited."""
    pages = _pages()
    assert "Mathematics" in pages and "Routes" in pages["Mathematics"]
    titles = [t for sections in pages.values() for t in sections]
    cited, missing = {}, {}
    for path in _repository_text_files():
        if path == Path(__file__).resolve():
            continue                       # this file's own examples below
        text = path.read_text(encoding="utf-8", errors="replace")
        for i, line in enumerate(text.splitlines(), 1):
            for after in CITATION.findall(line):
                where = f"{path.relative_to(ROOT)}:{i}"
                title = _cited_title(after, titles)
                if title is None:
                    missing[where] = after[:40]
                else:
                    cited.setdefault(title, where)
    assert missing == {}, f"cited sections not in docs/*.rst: {missing}"
    assert len(cited) >= 5, cited          # the code does cite the docs
    ambiguous = {t: w for t, w in cited.items() if titles.count(t) > 1}
    assert ambiguous == {}, f"section titles on more than one page: {ambiguous}"


@pytest.mark.parametrize("text, expected", [
    ("see vcbound docs §Routes).", "Routes"),
    ("(vcbound docs §Double counting, §Sauer-Shelah)", "Double counting"),
    ("vcbound docs §Construction pitfall", "Construction"),
    ("vcbound docs §Routesx", None),
    ("Whittaker & Watson §12.33", None),
])
def test_citation_pattern(text, expected):
    found = CITATION.findall(text)
    got = _cited_title(found[0], ["Routes", "Double counting", "Construction", "Sauer-Shelah"]) \
        if found else None
    assert got == expected


def test_guide_examples_run():
    """The Python examples of the user guide are doctests: their outputs are what vcbound prints.
    This keeps the guide true; the values themselves are checked independently elsewhere
    (3659.67 by hand in tests/test_capacity.py, 58 against OEIS A114146 in tests/test_exact.py,
    the solver against a separate implementation in tests/test_solver.py)."""
    import doctest

    result = doctest.testfile(str(DOCS / "guide.rst"), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10
    assert result.failed == 0

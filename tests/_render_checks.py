"""Checkers for rendered output: LaTeX through MathJax 3 (node), HTML through html5lib (strict).

MathJax 3 is what JupyterLab 4 typesets ``text/latex`` with (``mathjax-full`` 3.x), so it is the
parser that decides whether a user sees the result or a red error; matplotlib's mathtext accepts
only a subset of TeX and knows nothing of MathJax's text mode (where ``^`` is an error). The
checker loads every TeX package MathJax ships except ``noerrors`` and ``noundefined`` (which turn
errors into red text instead of failing), and makes every parse error an exception.

``mathjax-full@3`` is installed on first use with npm into ``$VCBOUND_TEST_CACHE`` (default
``~/.cache/vcbound-tests``); the tests that need it are skipped, with the reason, only when node
or npm is missing or the install fails.

HTML: html5lib's ``HTMLParser(strict=True)`` implements the WHATWG parsing algorithm and raises on
every parse error (mis-nested table tags, stray end tags, unescaped ``<``), which the standard
library's ``html.parser`` silently tolerates.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

MATHJAX_VERSION = "3"

_SCRIPT = r"""
const base = process.argv[2];
const req = (m) => require(base + '/node_modules/' + m);
const {mathjax} = req('mathjax-full/js/mathjax.js');
const {TeX} = req('mathjax-full/js/input/tex.js');
const {SVG} = req('mathjax-full/js/output/svg.js');
const {liteAdaptor} = req('mathjax-full/js/adaptors/liteAdaptor.js');
const {RegisterHTMLHandler} = req('mathjax-full/js/handlers/html.js');
const {AllPackages} = req('mathjax-full/js/input/tex/AllPackages.js');
RegisterHTMLHandler(liteAdaptor());
const packages = AllPackages.filter((p) => p !== 'noerrors' && p !== 'noundefined');
const tex = new TeX({packages, formatError: (jax, err) => { throw err; }});
const doc = mathjax.document('', {InputJax: tex, OutputJax: new SVG({fontCache: 'none'})});
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map((s) => {
    try { doc.convert(s, {display: true}); return null; }
    catch (e) { return String(e.message || e); }
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def mathjax_dir():
    """Folder holding ``node_modules/mathjax-full`` (installed on first use), or raise
    ``RuntimeError`` saying why it cannot be had."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise RuntimeError("node and npm are needed to check LaTeX with MathJax 3")
    cache = Path(os.environ.get("VCBOUND_TEST_CACHE", Path.home() / ".cache" / "vcbound-tests"))
    folder = cache / f"mathjax{MATHJAX_VERSION}"
    if not (folder / "node_modules" / "mathjax-full" / "package.json").exists():
        folder.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent",
                               "--prefix", str(folder), f"mathjax-full@{MATHJAX_VERSION}"],
                              capture_output=True, text=True, timeout=300)
        if proc.returncode != 0:
            raise RuntimeError(f"npm install mathjax-full@{MATHJAX_VERSION} failed: "
                               f"{proc.stderr.strip()[-300:]}")
    script = folder / "check.js"
    if not script.exists() or script.read_text() != _SCRIPT:
        script.write_text(_SCRIPT)
    return folder


def mathjax_errors(strings):
    """MathJax 3 error message (or None) for each TeX math string (without ``$`` delimiters)."""
    folder = mathjax_dir()
    proc = subprocess.run(["node", str(folder / "check.js"), str(folder)],
                          input=json.dumps(list(strings)), capture_output=True, text=True,
                          timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"MathJax checker failed: {proc.stderr[-500:]}")
    return json.loads(proc.stdout)


def jupyter_math(latex):
    """The math Jupyter hands to MathJax for a ``text/latex`` output: the content between one
    pair of ``$``/``$$`` delimiters. Raises AssertionError when the output is not one formula."""
    s = latex.strip()
    for d in ("$$", "$"):
        if s.startswith(d) and s.endswith(d) and len(s) > 2 * len(d):
            inner = s[len(d):-len(d)]
            assert "$" not in inner.replace(r"\$", ""), f"several formulas in {latex[:80]!r}"
            return inner
    raise AssertionError(f"not a single $...$ formula (Jupyter would show raw TeX): "
                         f"{latex[:80]!r}")


def html_errors(fragment):
    """None when html5lib (strict) parses ``fragment`` without error, else the message."""
    import html5lib

    try:
        html5lib.HTMLParser(strict=True).parseFragment(fragment)
    except Exception as exc:            # html5lib raises ParseError
        return str(exc)
    return None

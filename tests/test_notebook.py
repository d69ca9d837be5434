"""The notebook in docs/ runs from top to bottom, so its examples cannot rot.

It is run the way Jupyter runs it — in a Python kernel, in its own folder —
by nbclient, with a kernel of the interpreter running the tests: a kernel
spec written into a temporary JUPYTER_PATH (which comes before the user's
own), so nothing is registered on the machine and no other Python is used.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

DOCS = Path(__file__).resolve().parent.parent / "docs"
NOTEBOOK = DOCS / "notebook.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> nbformat.NotebookNode:
    home = tmp_path_factory.mktemp("jupyter")
    spec = home / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (the tests' interpreter)", "language": "python"}))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JUPYTER_PATH", str(home))
        env.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
        env.setenv("JUPYTER_PLATFORM_DIRS", "1")
        env.setenv("IPYTHONDIR", str(home / "ipython"))
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        NotebookClient(notebook, kernel_name="python3", timeout=120, startup_timeout=60,
                       resources={"metadata": {"path": str(DOCS)}}).execute()
    return notebook


def _outputs(notebook: nbformat.NotebookNode, needle: str) -> list[dict]:
    """The outputs of the code cell whose source holds `needle`."""
    cells = [c for c in notebook.cells if c.cell_type == "code" and needle in c.source]
    assert len(cells) == 1, needle
    return list(cells[0].outputs)


def test_every_cell_of_the_notebook_runs_without_an_error(executed):
    code = [c for c in executed.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]


def test_the_notebook_shows_results_and_the_study_as_html_tables(executed):
    for cell in ("results = bank.simulate", "study = blueprint.study"):
        html = [o.data["text/html"] for o in _outputs(executed, cell) if "text/html" in o.get("data", {})]
        assert len(html) == 1 and "<table>" in html[0]


def test_the_notebook_shows_dataframes(executed):
    html = [o.data["text/html"] for o in _outputs(executed, "stats.head()") if "data" in o]
    assert "wait" not in html[0] or "ci_low" in html[0]
    assert "ci_low" in html[0] and "customer_class" in html[0]


def test_the_notebook_prints_the_valid_keys_of_a_misspelt_step(executed):
    printed = "".join(o.text for o in _outputs(executed, '"depost"') if o.output_type == "stream")
    assert "did you mean 'deposit'?" in printed and "'explain_offer'" in printed


def test_the_notebook_draws_a_chart(executed):
    images = [o for o in _outputs(executed, "plt.subplots") if "image/png" in o.get("data", {})]
    assert len(images) == 1


def test_the_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)

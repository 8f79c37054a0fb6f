"""The tutorial notebook (docs/tutorial.ipynb) runs from top to bottom without an error."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_tutorial_notebook_runs():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("pandas")
    nb = nbformat.read(ROOT / "docs" / "tutorial.ipynb", as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT / "docs")}})
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    # The sweep's boundaries and the figures reach the reader.
    text = "".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "truce_frozen" in text and "0.105" in text
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3

"""The manifest's library versions, read from the .dist-info folders directly, are the ones
importlib.metadata gives, including where the plain lookup must give way to it."""

import sys
from importlib import metadata

import pytest

from negosim.sweep import versions
from negosim.sweep.versions import installed_version

LIBS = ("scipy", "nashpy", "matplotlib", "ruamel.yaml", "pyarrow", "distributed", "numpy", "PyYAML", "pillow",
        "contourpy", "typing-extensions")


def _official(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


@pytest.mark.parametrize("name", [*LIBS, "no-such-package-of-negosim"])
def test_versions_match_importlib_metadata(name):
    assert installed_version(name) == _official(name)


def test_a_first_dist_info_on_the_path_wins_and_two_of_one_name_defer(tmp_path, monkeypatch):
    info = tmp_path / "fake_pkg-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-pkg\nVersion: 1.2.3rc1\n\nBody: Version: 9\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    assert installed_version("fake-pkg") == installed_version("Fake_Pkg") == "1.2.3rc1" == _official("fake-pkg")
    (tmp_path / "fake_pkg-2.0.dist-info").mkdir()
    (tmp_path / "fake_pkg-2.0.dist-info" / "METADATA").write_text("Name: fake-pkg\nVersion: 2.0\n")
    assert versions._from_dist_info("fake-pkg") is None  # importlib.metadata decides between the two
    assert installed_version("fake-pkg") == _official("fake-pkg")

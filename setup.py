"""Build hook: the L1 bindings are build output, not source.

``tools/gen_bindings.py`` generates ``alicloud_privatelink/bindings`` (all but the hand-written
``_base.py``) from the committed schema copy, so a wheel is built from the schema itself and can
never carry stale bindings. A regular build writes them into the build folder; an editable install
(``pip install -e .``) imports from the source tree, so there they are generated in place (git
ignores them). Everything else is configured in pyproject.toml.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PACKAGE = "alicloud_privatelink.bindings"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_bindings", ROOT / "tools" / "gen_bindings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


class BuildPyWithBindings(build_py):
    """``build_py`` that generates the bindings instead of copying whatever lies in the source tree."""

    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules = super().find_package_modules(package, package_dir)
        if package != PACKAGE:
            return modules
        header = _generator().GENERATED_HEADER
        # Generated files an earlier `make bindings` left in the tree are not sources (nor in the sdist).
        return [m for m in modules if not Path(m[2]).read_text(encoding="utf-8").startswith(header)]

    def run(self) -> None:
        gen = _generator()
        if self.editable_mode:
            gen.write(gen.PACKAGE_DIR, gen.generate())
        super().run()
        if not self.editable_mode:
            gen.write(Path(self.build_lib, *PACKAGE.split(".")), gen.generate())


setup(cmdclass={"build_py": BuildPyWithBindings})

"""main.py with the resources pages, until main.py imports them itself (the lead wires them in)."""

import runpy
from pathlib import Path

import pages.portal.resources.resources  # noqa: F401

runpy.run_path(str(Path(__file__).parents[4] / 'main.py'), run_name='__main__')

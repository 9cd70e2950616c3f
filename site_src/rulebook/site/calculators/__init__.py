"""Calculators declared, not wired: any number of them, each one configuration plus templates.

- :mod:`.declared` reads ``calculators.yaml`` (which entry point, templates, page and example);
- :mod:`.page` renders one calculator into its page, prerendered with the engine's real answer;
- :mod:`.conditions` decides which parts of a page show, as the page script does;
- :mod:`.runtime` adds the files every calculator shares (Pyodide, the engine zip) and the boot config.

The browser half is ``assets/calculator.js`` (every page, tiny) and the modules of
``assets/calculator/`` it imports where a calculator is.
"""

from __future__ import annotations

from .declared import DECLARATION_FILE, Calculator, load_calculators
from .page import calculator_block, page_base
from .runtime import outputs

__all__ = ["DECLARATION_FILE", "Calculator", "calculator_block", "load_calculators", "outputs", "page_base"]

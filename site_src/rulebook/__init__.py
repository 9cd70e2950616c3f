"""rulebook: a static knowledge-base generator whose YAML rule tables also drive its calculators.

Kept free of imports on purpose: the browser loads ``rulebook.engine`` inside Pyodide with only
this file beside it, and must not pull in YAML, Jinja2 or MkDocs.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]

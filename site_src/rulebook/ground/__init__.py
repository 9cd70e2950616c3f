"""The ground the loader, the engine and the site all stand on; it imports none of them.

- :mod:`.expressions`: the rule tables' expression language and the vocabulary of facts it may name
  (the loader validates with it, the engine evaluates with it);
- :mod:`.wording`: number and money formatting and ``{placeholder}`` filling (pages and results).

Standard library only: the browser ships this package beside ``rulebook/engine/``.
"""

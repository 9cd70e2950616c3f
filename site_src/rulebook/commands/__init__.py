"""One module per ``rulebook`` subcommand, each with ``register(subparsers)`` and a ``run``."""

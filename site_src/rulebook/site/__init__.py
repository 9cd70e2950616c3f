"""Site generation: the generator (no MkDocs import), the thin MkDocs plugin, front-end assets."""

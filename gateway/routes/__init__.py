"""Route handlers, one module per concern."""

"""HTML views, one module per area (incoming, outgoing, registers, filing)."""

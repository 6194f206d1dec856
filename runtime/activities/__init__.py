"""Activity implementations, one module per family (control, primitives, http, workflows, data)."""

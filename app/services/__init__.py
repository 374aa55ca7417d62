"""Use cases: recording facts, voiding them, rebuilding the derived land state."""

"""Rule loading, targets and the runner."""

"""What operators see of a running deployable: JSON logs with request ids and no personal data,
health and readiness, and Prometheus metrics (ADR 0032)."""

"""The shared kernel: knows nothing about any deployable or about tax data."""

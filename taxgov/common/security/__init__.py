"""Security plumbing shared by the deployables: response headers and PII encryption."""

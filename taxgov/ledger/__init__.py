"""The shared tax ledger, installed in `federal` and `state`, each with its own database."""

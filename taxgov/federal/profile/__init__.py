"""The federal profile: the link from a signed-in person to their taxpayer record, made once
by matching the identity the provider verified against the ledger."""

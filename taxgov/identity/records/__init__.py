"""The authoritative records identity verification checks against: an offline stand-in for the
vendors' SSA-style SSN records, AAMVA DLDV-style driver-licence records and phone-ownership
records, filled from the synthetic population."""

"""The federal account home: what the taxpayer owes today and the facts around it."""

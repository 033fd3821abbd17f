"""The family's account: the ledger, payments and cards, statements."""

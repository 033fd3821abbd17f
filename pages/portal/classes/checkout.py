"""The checkout: the seats held for a time, the fees to be posted, the policies to agree to, and Enrol."""

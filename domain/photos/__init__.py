"""Student photos and the studio logo: decoded, re-encoded without metadata, reviewed, and shown only to
the family and staff (issue 18)."""

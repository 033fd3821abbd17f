"""The staff console's events: the list, the event and its dates, and each date's roster."""

"""The Classes screen: browse, filter by child, and choose classes to enrol in."""

"""The staff console's news: the list of posts with how many families read each, and the editor."""

"""The studio's news as families read it: every post meant for the family now, one post, and the dashboard's
share of them."""

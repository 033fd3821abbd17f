"""The instructor's roster of each class meeting, taken on a phone: the day's meetings, and each one's children."""

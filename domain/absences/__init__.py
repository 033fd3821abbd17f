"""Absences and makeups: the studio's rules, the absences families report, the makeup credits they earn, the
makeups those credits book, and the roster an instructor takes of each meeting."""

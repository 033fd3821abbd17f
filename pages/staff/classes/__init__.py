"""The staff console's classes: the list, the class editor, the catalogue's set-up, and each class's roster."""

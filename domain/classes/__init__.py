"""The studio's classes: the catalogue staff build (locations, rooms, terms, categories, classes, closures) and
the meetings a class has."""

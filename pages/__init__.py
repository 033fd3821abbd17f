"""One module per screen or small group of screens. Importing a module registers its routes."""

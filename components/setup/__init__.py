"""Process set-up done once before any page: icons as inline SVG, the stylesheet, measured speed-ups."""

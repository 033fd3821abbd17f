"""The family's class resources: files and links the studio shared with their classes, sessions, events and
children."""

"""New families joining online: drafts, the studio's questions, legal policies and agreements."""

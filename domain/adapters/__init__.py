"""The outside world behind small interfaces: mail, text messages. Tests swap them without patching."""

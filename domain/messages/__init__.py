"""What Kinroll writes to families: notices, the outbox that sends them, the history that keeps them."""

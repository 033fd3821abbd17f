"""Running the portal: health, backups, the daily clean-up, logs, the demo studio."""

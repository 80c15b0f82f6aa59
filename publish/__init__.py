"""Publishing the archive with Datasette (read-only), and the copies that leave the machine."""

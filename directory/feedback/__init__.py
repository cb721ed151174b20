"""What the public tells us about the map: error reports on a listing (no account needed),
claims of a listing and proposals of a new organisation, and the coordinators' queues that
decide them."""

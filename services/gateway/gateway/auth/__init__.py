"""Who may use the API: this machine freely, other hosts with the API key."""

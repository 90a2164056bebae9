"""Running the whole system on one machine: embedded NATS, the six services, the offline demo."""

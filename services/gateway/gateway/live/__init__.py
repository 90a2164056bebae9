"""Live updates: NATS progress ticks and lifecycle events relayed to WebSocket clients."""

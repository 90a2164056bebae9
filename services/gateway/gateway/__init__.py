"""NiluFlix gateway: the HTTP and WebSocket face of the services."""

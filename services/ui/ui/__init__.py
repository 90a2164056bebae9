"""NiluFlix web UI: a Streamlit dashboard that speaks only to the gateway's HTTP API."""

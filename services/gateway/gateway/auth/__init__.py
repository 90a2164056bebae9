"""Who may use the API: this machine and NiluFlix's UI freely, other hosts with the API key; and the owner's
password and sessions with which the UI signs in browsers from other machines."""

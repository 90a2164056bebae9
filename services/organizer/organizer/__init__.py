"""NiluFlix organizer: turns finished downloads into a tidy movie library."""

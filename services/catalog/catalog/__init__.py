"""NiluFlix catalog: what movies exist, from TMDB or, with no key, a built-in sample of open movies."""

"""The remote web UI's own parts: the same Streamlit package run with `NILUFLIX_UI_MODE=remote`, reading and
writing only the user's Supabase project (what the home mirrors there, the commands it takes from there) and
asking TMDB directly for titles to download, since the home's catalog is out of reach while it is off.

    project.py         which Supabase project (settings, else the link's query parameters); never a secret key
    store.py           what the pages read and write (`RemoteStore`), and its models
    supabase_store.py  `RemoteStore` through supabase-py, signed in as the user (row-level security applies)
    tmdb.py            searching TMDB v3 for movies and shows
    frame.py           the frame around every remote page: sign-in, which home, whether it is online
    connection.py      the store and the home of this browser, for the pages
"""

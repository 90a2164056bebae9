"""The dashboard's entry point (`streamlit run`): the frame around every page, and the navigation.

`NILUFLIX_UI_MODE=remote` makes it the remote web UI instead: the same look, its own pages (`remote/`), and
the user's Supabase project in place of a gateway (`ui.remote.frame`).
"""

import streamlit as st
from ui import signin, theme
from ui.settings import UiSettings

st.set_page_config(page_title="NiluFlix", page_icon=str(theme.ICON), layout="wide")
st.html(theme.CSS)
st.logo(str(theme.LOGO), size="large")

if UiSettings().mode == "remote":
    from ui.remote import frame

    pages = frame.pages()
    position = "hidden"  # the frame draws its own menu, in sight on a phone
else:
    signin.gate()  # a browser on another machine signs in before any page is drawn
    pages = [
        st.Page("views/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("views/downloads.py", title="Downloads", icon=":material/download:"),
        st.Page("views/library.py", title="Library", icon=":material/video_library:"),
        st.Page("views/calendar.py", title="Calendar", icon=":material/calendar_month:"),
        st.Page("views/remote.py", title="Remote", icon=":material/phone_iphone:"),
        st.Page("views/settings.py", title="Settings", icon=":material/settings:"),
        # Reached from a poster, with ?id=<tmdb id>; not a menu entry of its own.
        st.Page("views/movie.py", title="Movie", icon=":material/movie:", visibility="hidden"),
        st.Page("views/show.py", title="Show", icon=":material/tv:", visibility="hidden"),
    ]
    position = "top"
st.navigation(pages, position=position).run()

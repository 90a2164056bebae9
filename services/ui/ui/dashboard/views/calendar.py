"""Calendar: the followed shows' episodes that aired lately or air soon, day by day, with where each stands."""

from datetime import UTC, date, datetime, timedelta
from itertools import groupby

import streamlit as st
from ui.components.episodes import STATE_BADGES
from ui.components.feedback import gateway_errors
from ui.components.posters import open_show
from ui.components.text import literal
from ui.connection import gateway
from ui.tv_models import CalendarEpisode, episode_code

DAYS_BACK, DAYS_AHEAD = 7, 14


def day_heading(day: date | None, today: date) -> str:
    if day is None:
        return "No air date yet"
    names = {today: "Today", today - timedelta(days=1): "Yesterday", today + timedelta(days=1): "Tomorrow"}
    return f"{names[day]} · {day:%a %d %b}" if day in names else f"{day:%A %d %B}"


def row(episode: CalendarEpisode, index: int) -> None:
    with st.container(horizontal=True, vertical_alignment="center", key=f"cal-{index}", gap="medium"):
        if st.button(episode.show_title, key=f"open-cal-{index}", type="tertiary"):
            open_show(episode.show_id)
        st.markdown(f"{episode_code(episode.season, episode.episode)} {literal(episode.name)}")
        st.markdown(STATE_BADGES[episode.state], width="content")


st.set_page_config(page_title="Calendar · NiluFlix")
st.title("Calendar")
with gateway_errors():
    calendar = gateway().calendar(DAYS_BACK, DAYS_AHEAD)
if calendar is None:
    st.info(
        "The calendar is not available on this NiluFlix gateway yet: it comes with following shows.",
        icon=":material/calendar_month:",
    )
    st.stop()
st.caption(
    f"Episodes of the shows you follow, aired in the last {DAYS_BACK} days or airing in the next {DAYS_AHEAD}."
)
if not calendar.episodes:
    st.info(
        "Nothing aired lately or airing soon. Follow a show on its page to see its episodes here.",
        icon=":material/calendar_month:",
    )
    st.stop()

today = datetime.now(UTC).date()
episodes = sorted(
    calendar.episodes, key=lambda e: (e.air_date or date.max, e.show_title.casefold(), e.episode)
)
index = 0
for day, group in groupby(episodes, key=lambda e: e.air_date):
    st.subheader(day_heading(day, today))
    for episode in group:
        row(episode, index)
        index += 1

"""The remote web UI on Streamlit Community Cloud: point the Cloud at this file (services/ui/cloud/streamlit_app.py).

It runs the dashboard of `ui` in remote mode from this repository's checkout, with only the packages of
`requirements.txt` next to it. Settings go in the app's Secrets as root-level keys, which Streamlit also puts in
the environment, where the UI reads them:

    NILUFLIX_UI_SUPABASE_URL = "https://<project>.supabase.co"        # optional: else from the home's link
    NILUFLIX_UI_SUPABASE_ANON_KEY = "sb_publishable_…"               # optional: else from the home's link
    NILUFLIX_UI_TMDB_API_KEY = "<a TMDB v3 API key>"                  # optional: else no search
"""

import os
import runpy
import sys
from pathlib import Path

import streamlit as st

UI_ROOT = Path(__file__).resolve().parents[1]  # services/ui: the `ui` package
REPO_ROOT = UI_ROOT.parents[1]  # the shared `niluflix` package
for path in (str(REPO_ROOT), str(UI_ROOT)):
    if path not in sys.path:
        sys.path.insert(0, path)

os.environ["NILUFLIX_UI_MODE"] = "remote"
# Reading the secrets once puts their root-level keys into the environment.
st.secrets.load_if_toml_exists()

runpy.run_path(str(UI_ROOT / "ui" / "dashboard" / "app.py"), run_name="__main__")

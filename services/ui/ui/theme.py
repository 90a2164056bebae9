"""The look: a dark streaming-service theme. Colours for Streamlit's own widgets are set at launch
(`ui.main.streamlit_command`); this adds what the theme options cannot express (poster rows, hero)."""

from pathlib import Path

STATIC = Path(__file__).parent / "dashboard" / "static"
LOGO = STATIC / "logo.svg"
ICON = STATIC / "icon.svg"

RED = "#E50914"
BACKGROUND = "#141414"
SURFACE = "#1F1F1F"
TEXT = "#E5E5E5"

THEME_OPTIONS = {
    "theme.base": "dark",
    "theme.primaryColor": RED,
    "theme.backgroundColor": BACKGROUND,
    "theme.secondaryBackgroundColor": SURFACE,
    "theme.textColor": TEXT,
}

CSS = f"""
<style>
/* Poster rows scroll sideways like a streaming service's shelves instead of wrapping. */
div[class*="st-key-shelf-"] {{
  overflow-x: auto;
  overflow-y: hidden;
  padding-bottom: 0.5rem;
  scrollbar-width: thin;
  scrollbar-color: #444 transparent;
}}
div[class*="st-key-shelf-"] > div {{ flex: 0 0 auto; }}
[data-testid="stMainBlockContainer"] {{ padding-top: 4.5rem; }}
/* Streamlit pulls a Markdown block up by one paragraph margin; our HTML blocks have none to give. */
[data-testid="stMarkdownContainer"]:has(> .nf-poster, > .nf-poster-wrap, > .nf-hero, > .nf-path, > .nf-row-title, > .nf-rrow) {{ margin-bottom: 0; }}
div[class*="st-key-open-"] button p {{ font-weight: 600; font-size: 1rem; }}
div[class*="st-key-card-"] {{ gap: 0.15rem; }}
div[class*="st-key-card-"] button {{
  justify-content: flex-start; text-align: left; min-height: 0; padding: 0;
  font-weight: 600; line-height: 1.25;
}}
div[class*="st-key-card-"] button p {{ font-size: 0.92rem; }}
.nf-poster {{
  width: 100%;
  aspect-ratio: 2 / 3;
  object-fit: cover;
  border-radius: 6px;
  background: {SURFACE};
  box-shadow: 0 4px 14px rgba(0, 0, 0, 0.45);
  transition: transform 160ms ease, box-shadow 160ms ease;
  display: block;
}}
.nf-poster:hover, div[class*="st-key-poster-"]:hover .nf-poster {{
  transform: scale(1.04); box-shadow: 0 8px 24px rgba(0, 0, 0, 0.7);
}}
.nf-row-title {{ font-size: 1.35rem; font-weight: 700; color: {TEXT}; margin: 0.6rem 0 0.1rem 0; }}
.nf-hero {{
  position: relative;
  border-radius: 10px;
  min-height: 340px;
  background-size: cover;
  background-position: center top;
  overflow: hidden;
}}
.nf-hero::after {{
  content: "";
  position: absolute; inset: 0;
  background: linear-gradient(90deg, {BACKGROUND} 0%, rgba(20,20,20,0.85) 38%, rgba(20,20,20,0.2) 75%),
              linear-gradient(0deg, {BACKGROUND} 0%, rgba(20,20,20,0) 45%);
}}
.nf-hero-body {{
  position: relative; z-index: 1; display: flex; gap: 2rem; align-items: flex-end;
  padding: 2.4rem 2rem 1.8rem 2rem;
}}
.nf-hero-poster {{ flex: 0 0 190px; }}
.nf-hero-text {{ max-width: 760px; }}
.nf-hero-title {{ font-size: 2.9rem; font-weight: 800; line-height: 1.05; margin: 0 0 0.6rem 0; color: #fff; }}
.nf-clamp {{ display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }}
@media (max-width: 720px) {{ .nf-hero-poster {{ display: none; }} .nf-hero-title {{ font-size: 2rem; }} }}
.nf-meta {{ color: #bcbcbc; font-size: 1rem; margin-bottom: 0.8rem; }}
.nf-meta .nf-score {{ color: #46d369; font-weight: 700; }}
.nf-overview {{ color: {TEXT}; font-size: 1.05rem; line-height: 1.5; }}
.nf-genre {{
  display: inline-block; border: 1px solid #555; border-radius: 999px; padding: 0.05rem 0.6rem;
  margin: 0 0.35rem 0.35rem 0; font-size: 0.82rem; color: #ddd;
}}
/* The whole poster opens its title: a see-through button lies over the picture. */
div[class*="st-key-poster-"] {{ position: relative; }}
div[class*="st-key-poster-"] div[class*="st-key-pick-"] {{ position: absolute; inset: 0; z-index: 2; }}
div[class*="st-key-poster-"] div[class*="st-key-pick-"] * {{ width: 100%; height: 100%; }}
div[class*="st-key-pick-"] button {{ opacity: 0; cursor: pointer; }}
.nf-poster-wrap {{ position: relative; }}
.nf-badge {{
  position: absolute; top: 8px; left: 8px; z-index: 1; padding: 0.1rem 0.5rem; border-radius: 4px;
  font-size: 0.75rem; font-weight: 700; color: #fff; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.5);
}}
.nf-badge-library {{ background: #1f7a3a; }}
.nf-badge-downloading {{ background: #1d5fa8; }}
/* A show's episode list: one compact row per episode. */
div[class*="st-key-episode-"] {{ padding: 0.35rem 0.2rem; border-bottom: 1px solid #2a2a2a; }}
.nf-episode-number {{ font-family: ui-monospace, monospace; color: #9a9a9a; font-size: 0.9rem; }}
.nf-muted {{ color: #9a9a9a; font-size: 0.88rem; }}
/* The remote web UI: phone-first rows of a poster and its words, and buttons big enough for a thumb. */
.nf-rrow {{ display: flex; gap: 0.8rem; align-items: center; }}
.nf-rposter {{
  flex: 0 0 64px; width: 64px; aspect-ratio: 2 / 3; object-fit: cover; border-radius: 4px; background: {SURFACE};
}}
.nf-rtext {{ min-width: 0; }}
.nf-rtitle {{ font-weight: 700; font-size: 1.05rem; line-height: 1.25; color: #fff; overflow-wrap: anywhere; }}
.nf-rstate {{
  display: inline-block; margin-top: 0.3rem; padding: 0.05rem 0.5rem; border-radius: 4px;
  font-size: 0.8rem; font-weight: 700; color: #fff; background: #3a3a3a;
}}
.nf-rstate-downloading, .nf-rstate-processing {{ background: #1d5fa8; }}
.nf-rstate-completed {{ background: #1f7a3a; }}
.nf-rstate-failed {{ background: #8a1c1c; }}
.nf-rstate-paused, .nf-rstate-queued, .nf-rstate-pending, .nf-rstate-wanted {{ background: #6b5a1d; }}
.nf-rcommand {{ padding: 0.4rem 0; border-bottom: 1px solid #2a2a2a; }}
div[class*="st-key-result-"] button, div[class*="st-key-controls-"] button,
div[class*="st-key-ask-cancel-"] button {{ min-height: 2.75rem; }}
.st-key-remote-nav {{ border-bottom: 1px solid #2a2a2a; padding-bottom: 0.3rem; }}
.st-key-remote-nav a {{ padding: 0.45rem 0.6rem; border-radius: 6px; }}
.st-key-remote-nav p {{ font-size: 0.92rem; }}
@media (max-width: 640px) {{
  [data-testid="stMainBlockContainer"] {{ padding-left: 1rem; padding-right: 1rem; padding-top: 3.5rem; }}
  [data-testid="stHeading"] h1 {{ font-size: 2rem; padding-top: 0.4rem; }}
  /* The four remote pages fit one row on a phone. */
  .st-key-remote-nav {{ gap: 0.1rem; flex-wrap: nowrap; justify-content: space-between; }}
  .st-key-remote-nav a {{ padding: 0.45rem 0.3rem; gap: 0.25rem; }}
  .st-key-remote-nav p {{ font-size: 0.85rem; }}
}}
.nf-path {{ font-family: ui-monospace, monospace; font-size: 0.8rem; color: #9a9a9a; word-break: break-all; }}
</style>
"""

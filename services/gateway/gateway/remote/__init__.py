"""Remote access: this home instance seen and commanded from a phone through the user's own Supabase project.

link_store.py  the project, the login's sealed refresh token, this install's `desktop_app_id` (gateway table)
session.py     a signed-in supabase-py client: the refresh token saved after every refresh, a request retried
               once after a refresh when PostgREST says the JWT expired, a refused login told apart
mirror.py      the library and the downloads upserted into `shared_library`, one request per change set
heartbeat.py   `remote_sessions`: online, last_sync, version, every minute; offline on a clean stop
commands.py    `remote_downloads`: polled (realtime only wakes the poll), claimed by compare-and-set,
               recorded here before they run, run through the same functions as the routes, outcome written back
access.py      the whole: enable / disable / status, the background loops, backing off after errors
"""

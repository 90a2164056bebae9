"""Ann and Bob, each with a home instance, signed in through supabase-py on the loopback Supabase."""

import pytest
from supabase import Client

from niluflix.testing.supabase import SupabaseProject

PASSWORD = "correct horse 1"


def user_with_home(project: SupabaseProject, email: str, home: str) -> Client:
    project.create_user(email, PASSWORD)
    client = project.sign_in(email, PASSWORD)
    client.table("remote_sessions").insert({"desktop_app_id": home, "display_name": "NAS"}).execute()
    return client


@pytest.fixture
def ann(supabase_project: SupabaseProject) -> Client:
    """Ann, signed in, with her home `ann-nas-0001`."""
    return user_with_home(supabase_project, "ann@example.com", "ann-nas-0001")


@pytest.fixture
def bob(supabase_project: SupabaseProject) -> Client:
    """Bob, signed in, with his home `bob-nas-0001`."""
    return user_with_home(supabase_project, "bob@example.com", "bob-nas-0001")

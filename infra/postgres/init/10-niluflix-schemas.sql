-- Run once, when the database is created (the postgres image runs /docker-entrypoint-initdb.d/*.sql).
-- Each NiluFlix service with tables keeps them in its own schema (its search_path); making the schemas here,
-- owned by the stack's user, means replicas of a service starting together never race to create one.
CREATE SCHEMA IF NOT EXISTS catalog AUTHORIZATION CURRENT_USER;
CREATE SCHEMA IF NOT EXISTS downloader AUTHORIZATION CURRENT_USER;
CREATE SCHEMA IF NOT EXISTS organizer AUTHORIZATION CURRENT_USER;
CREATE SCHEMA IF NOT EXISTS gateway AUTHORIZATION CURRENT_USER;
-- Nothing of NiluFlix lives in public: nobody may create tables there by accident.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

# Every NiluFlix image, one stage per service (`docker build --target gateway .`; docker-compose.yml names
# each one). They share their layers: the dependencies of the niluflix package and of every service are
# installed once (`deps`), then all the code once (`app`); a service's stage only adds its command, ports and
# health check. A change to the code rebuilds one small layer, a change to the lock file the dependencies.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS deps
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
# Exactly the versions the tests passed with (requirements.lock, written by `python3 run.py lock`), without
# our own packages, so this layer stays cached while the code changes.
COPY requirements.lock /app/
RUN grep -v '^-e ' requirements.lock > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt "setuptools>=69" && rm /tmp/requirements.txt

FROM deps AS app
COPY pyproject.toml /app/
COPY niluflix /app/niluflix
COPY services /app/services
RUN pip install --no-deps --no-build-isolation /app /app/services/catalog /app/services/search \
      /app/services/downloader /app/services/organizer /app/services/gateway /app/services/ui \
    && rm -rf /app/build /app/*.egg-info /app/services/*/build /app/services/*/*.egg-info
# The data dir every service shares in Compose: the generated secret key and credentials live there.
ENV NILUFLIX_DATA_DIR=/config

# The stack's one-shot first step, as root: data folders owned by PUID:PGID, the secret key checked.
FROM app AS init
CMD ["python", "-m", "niluflix.stack_init"]

FROM app AS catalog
CMD ["python", "-m", "catalog"]

FROM app AS search
CMD ["python", "-m", "search"]

FROM app AS downloader
CMD ["python", "-m", "downloader"]

FROM app AS organizer
CMD ["python", "-m", "organizer"]

FROM app AS gateway
ENV NILUFLIX_GATEWAY_HOST=0.0.0.0 \
    NILUFLIX_GATEWAY_PORT=7979
EXPOSE 7979
CMD ["python", "-m", "gateway"]

FROM app AS ui
# Inside a container 127.0.0.1 is unreachable from the host: listen on every interface of the container.
ENV NILUFLIX_UI_HOST=0.0.0.0 \
    NILUFLIX_UI_PORT=8501 \
    HOME=/tmp
EXPOSE 8501
CMD ["python", "-m", "ui"]

# The remote web UI, deployed apart from the home (`docker build --target remote-ui .`): only the Streamlit
# app in remote mode, which reaches nothing but the user's Supabase project and TMDB. Its settings:
# NILUFLIX_UI_SUPABASE_URL, NILUFLIX_UI_SUPABASE_ANON_KEY (else from the home's link), NILUFLIX_UI_TMDB_API_KEY.
FROM app AS remote-ui
ENV NILUFLIX_UI_MODE=remote \
    NILUFLIX_UI_HOST=0.0.0.0 \
    NILUFLIX_UI_PORT=8501 \
    HOME=/tmp
EXPOSE 8501
USER nobody
CMD ["python", "-m", "ui"]

# The offline demo (docker compose --profile demo): a Torznab indexer, a tracker and a seeder.
FROM app AS demo
EXPOSE 7990 7991
CMD ["python", "-m", "niluflix.demo", "--data-dir", "/tmp/niluflix-demo", "--host", "0.0.0.0", \
     "--public-host", "demo", "--join-stack"]

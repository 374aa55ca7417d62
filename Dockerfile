# Deployment image: the service against an existing PostGIS (see compose.yaml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/landrelease

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY geodata ./geodata
COPY scripts/docker-entrypoint.sh ./scripts/docker-entrypoint.sh
RUN pip install --no-cache-dir . && useradd --system --home-dir /srv/landrelease landrelease

USER landrelease
EXPOSE 8000
ENV HOST=0.0.0.0 PORT=8000 LOAD_DEMO=0 WORKERS=2
ENTRYPOINT ["scripts/docker-entrypoint.sh"]

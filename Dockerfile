# Deployment image: the service against an existing PostGIS (see compose.yaml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/landrelease

# Pango and fonts for the PDF reports (WeasyPrint); Lao script for Lao place names.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core fonts-lao \
    && rm -rf /var/lib/apt/lists/*

# The pinned dependencies first (a layer of their own), then the package without them.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY geodata ./geodata
COPY scripts/docker-entrypoint.sh ./scripts/docker-entrypoint.sh
RUN pip install --no-cache-dir --no-deps --no-build-isolation . \
    && useradd --system --home-dir /srv/landrelease landrelease

USER landrelease
EXPOSE 8000
ENV HOST=0.0.0.0 PORT=8000 LOAD_DEMO=0 WORKERS=2
ENTRYPOINT ["scripts/docker-entrypoint.sh"]

# The production image: thin on purpose, everything that runs at start lives in bin/start,
# which .ci/run exercises (no Docker engine runs in CI).
#   docker build -t clusters . && docker run -p 8000:8000 --env-file .env clusters
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

# gettext for compilemessages at build time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .
# Build-time only secret: the settings refuse to load without one; it is not kept in the image's env.
RUN DJANGO_SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv -v0 \
 && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0

# The code stays owned by root and read-only for the app user.
RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent clusters
USER clusters

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "/app/bin/healthcheck"]
CMD ["/app/bin/start"]

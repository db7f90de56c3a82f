# CASP production image: gunicorn web, Celery worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint needs Pango; gettext compiles translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Runtime packages only (locked, with hashes): no test or lint tools in the image.
COPY requirements.txt requirements-face.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements.txt \
 && pip install --no-cache-dir --no-deps -r requirements-face.txt
COPY . .
# collectstatic needs settings only, not a database: DATABASE_URL is a placeholder here.
RUN DATABASE_URL=postgresql://build@localhost/build SECRET_KEY=build-only REQUIRE_BROKER=false \
    python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --home /app casp && mkdir -p /app/var && chown casp /app/var
USER 10001
EXPOSE 8000
CMD ["gunicorn", "casp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60"]

# The application image used by docker-compose.yml (web, worker and beat share it).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/app

RUN useradd --system --uid 10001 --home-dir /srv/app app

# Noto Sans CJK: the font of the PDF acknowledgment (Chinese and Hong Kong characters).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml constraints.txt ./
RUN pip install --no-cache-dir -c constraints.txt .

COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && mkdir -p /srv/app/.data/media && chown -R app /srv/app/.data

USER app
EXPOSE 8000
CMD ["gunicorn", "immapp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]

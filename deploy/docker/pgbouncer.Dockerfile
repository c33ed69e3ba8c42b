# PgBouncer between the services and PostgreSQL (decision 0024): Debian trixie's 1.24. Transaction
# pooling keeps the prepared statements catalog's listing names (max_prepared_statements) only
# from 1.21 on; bookworm's 1.18 would hand them to connections that never parsed them.
#   docker build -f deploy/docker/pgbouncer.Dockerfile -t bazaar-pgbouncer:local deploy/docker
# The configuration is mounted at /etc/pgbouncer: pgbouncer.ini and the userlist.txt it names
# (deploy/docker/pgbouncer.ini for compose; a ConfigMap and a Secret on Kubernetes).
FROM debian:trixie-slim
LABEL org.opencontainers.image.title="bazaar-pgbouncer" \
      org.opencontainers.image.description="PgBouncer, transaction pooling in front of Bazaar's PostgreSQL" \
      org.opencontainers.image.source="https://github.com/bazaar-shop/bazaar" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.vendor="Bazaar"
RUN apt-get update && apt-get install -y --no-install-recommends pgbouncer \
 && rm -rf /var/lib/apt/lists/* /etc/pgbouncer/*
# A fixed unprivileged id (the package's postgres user gets whichever is free), so that Kubernetes'
# runAsNonRoot can check it and its runAsUser names the same.
USER 65532:65532
EXPOSE 6432
CMD ["pgbouncer", "/etc/pgbouncer/pgbouncer.ini"]

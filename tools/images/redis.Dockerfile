# Redis for compose without a registry: Debian's redis-server (and redis-cli for the healthcheck),
# run as the command compose.yaml gives.
FROM bazaar-offline/bookworm
RUN apt-get update && apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown redis:redis /data
WORKDIR /data
USER redis
EXPOSE 6379
# As the official image does: without a configuration file, Redis would take connections from
# loopback only (protected mode), and the other containers would be refused.
ENTRYPOINT ["bash", "-c", "if [ \"$1\" = redis-server ]; then shift; exec redis-server \"$@\" --protected-mode no; fi; exec \"$@\"", "redis-entrypoint"]
CMD ["redis-server"]

# NATS for compose without a registry: Debian's nats-server, with wget for the healthcheck and
# /data writable for JetStream, taking compose.yaml's command as its arguments.
FROM bazaar-offline/bookworm
RUN apt-get update && apt-get install -y --no-install-recommends nats-server wget \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown nobody:nogroup /data
USER nobody
EXPOSE 4222 8222
ENTRYPOINT ["nats-server"]

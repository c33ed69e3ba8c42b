# Prometheus for compose without a registry: Debian's prometheus (promtool too), with wget for the
# healthcheck, storing in /prometheus as the official image does.
FROM bazaar-offline/bookworm
RUN apt-get update && apt-get install -y --no-install-recommends prometheus wget \
 && rm -rf /var/lib/apt/lists/* && mkdir -p /prometheus && chown nobody:nogroup /prometheus
WORKDIR /prometheus
USER nobody
EXPOSE 9090
# Debian keeps its data under /var/lib/prometheus; the official image, and this one, in /prometheus.
ENTRYPOINT ["prometheus", "--storage.tsdb.path=/prometheus"]

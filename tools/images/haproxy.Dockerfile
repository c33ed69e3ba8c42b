# HAProxy for compose without a registry: Debian bookworm's (2.6), laid out as the official image
# is: its configuration read from /usr/local/etc/haproxy/haproxy.cfg, run in the foreground as the
# unprivileged haproxy user (uid 99, as there).
FROM bazaar-offline/bookworm
RUN apt-get update && apt-get install -y --no-install-recommends haproxy \
 && rm -rf /var/lib/apt/lists/* \
 && usermod --uid 99 haproxy && groupmod --gid 99 haproxy \
 && mkdir -p /usr/local/etc/haproxy
USER 99:99
EXPOSE 8080
STOPSIGNAL SIGUSR1
ENTRYPOINT ["haproxy", "-W", "-db"]
CMD ["-f", "/usr/local/etc/haproxy/haproxy.cfg"]

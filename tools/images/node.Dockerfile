# The Node.js base the Bazaar Dockerfile starts from, made without a registry: Debian bookworm
# (debootstrap), Node.js and npm from the npm registry, the user `node` (uid 1000), and the build
# host's CA trust, so that `npm ci` in a build works behind a TLS-inspecting proxy.
FROM bazaar-offline/bookworm
COPY node/bin/node /usr/local/bin/node
COPY node/include /usr/local/include
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]

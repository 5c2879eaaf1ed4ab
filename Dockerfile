# evb in a container: the server compiled to JavaScript (apps/server/build.mjs) with only its
# production dependencies, and the built PWA beside it.
#
#   docker build -t evb .            (or: podman build -t evb .)
#   docker compose up                (compose.yaml: evb with PostgreSQL)
#
# NODE_IMAGE is the base of both stages: any image with Node.js 20 on a glibc Linux. The default
# is the official one; where no registry is reachable, build one from Debian's packages (see
# test/container/base-image.sh) and pass it with --build-arg NODE_IMAGE=….
ARG NODE_IMAGE=docker.io/library/node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV CI=true PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY . .
# Only what the server and the PWA need (not the test and benchmark packages). The store may be
# mounted from the host (`podman build -v STORE:/pnpm-store`) so that nothing is downloaded twice.
RUN npx -y pnpm@10 install --frozen-lockfile --store-dir /pnpm-store \
      --filter @evb/server... --filter @evb/pwa...
# Building the PWA builds the server first (turbo: the PWA depends on the server's types).
RUN npx -y pnpm@10 exec turbo run build --filter=@evb/pwa

# The server's production dependencies alone, from the same lockfile. (pnpm deploy would do it
# in one step, but it needs workspace packages injected, which the development set-up is not.)
FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
COPY apps/server/package.json apps/server/
COPY apps/pwa/package.json apps/pwa/
COPY packages/domain/package.json packages/domain/
COPY tooling/biome/package.json tooling/biome/
COPY tooling/typescript/package.json tooling/typescript/
COPY test/package.json test/
COPY bench/package.json bench/
RUN npx -y pnpm@10 install --frozen-lockfile --prod --store-dir /pnpm-store --filter @evb/server

FROM ${NODE_IMAGE}
# No package managers in the image that runs: it runs node and nothing else.
RUN for tool in npm npx corepack yarn yarnpkg; do rm -f "$(command -v "$tool")"; done; \
    rm -rf /usr/local/lib/node_modules /usr/lib/node_modules /opt/yarn-*; \
    mkdir -p /data && chown 10001:10001 /data
WORKDIR /app
COPY --from=production-dependencies /app/node_modules node_modules
COPY --from=production-dependencies /app/apps/server/node_modules apps/server/node_modules
# package.json: its "type": "module" makes node read dist/ as ES modules.
COPY --from=build /src/apps/server/package.json apps/server/
COPY --from=build /src/apps/server/dist apps/server/dist
COPY --from=build /src/apps/pwa/dist apps/pwa/dist
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
# The embedded database (when DATABASE_URL is unset) and nothing else is written here.
VOLUME /data
EXPOSE 3000
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/api/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "apps/server/dist/main.js"]

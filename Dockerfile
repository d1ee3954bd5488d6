# The image of the worker and the API (docker-compose.yml picks the command). Node 24, the active LTS.
# The TypeScript is compiled and the workflows bundled here, at build time, so a container runs
# plain `node` (no tsx) and the worker starts without webpack (`npm run build`, tsconfig.build.json).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Where the worker writes the signed log heads (AUDIT_EXPORT_DIR in docker-compose.yml): a named
# volume mounted here starts with this folder's owner, so the non-root user can write to it.
RUN mkdir -p /var/lib/ppks/audit-export && chown -R node:node /var/lib/ppks

USER node
EXPOSE 3000
# The API's liveness; docker-compose.yml gives the worker its own.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself rather than npm, so that `docker stop`'s SIGTERM reaches the process and the worker can
# finish its current tasks.
CMD ["node", "dist/api/main.js"]

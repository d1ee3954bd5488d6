# Image for the worker and the API (docker-compose.yml picks the command).
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .

USER node
EXPOSE 3000
# tsx directly rather than through npm/npx, so `docker stop`'s SIGTERM reaches the process
# (tsx passes it on) and the worker can finish its current tasks.
CMD ["tsx", "api/main.ts"]

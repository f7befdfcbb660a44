# One image for the API and the worker (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Dev dependencies too, for the console build (vite); pruned right after it.
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
# The browser console, served by the API as static files (console/dist).
RUN npx vite build --config console/vite.config.ts && npm prune --omit=dev --no-audit --no-fund
# Prebuilt workflow bundle: a restarted worker polls at once instead of bundling first.
RUN npx tsx scripts/bundle-workflows.ts dist/workflow-bundle.js
ENV CASEFLOW_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
USER node
EXPOSE 3000
CMD ["npx", "tsx", "scripts/api.ts"]

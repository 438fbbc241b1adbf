# One image for every service, the simulators and the tools; the container's command picks one.
# Node.js 24 (LTS), as package.json's engines; build and run stages apart, so the run image has no
# compiler, sources or dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
# Where docker-compose.yml's volume of development secrets is mounted: a new volume takes this
# folder's owner, so the `secrets` service (not root) can write it.
RUN mkdir -p /run/umg-secrets && chown node:node /run/umg-secrets
USER node
# e.g. `node dist/services/gateway/src/main.js`
CMD ["node", "dist/services/gateway/src/main.js"]

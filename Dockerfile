# vendor-fakes: all four fakes on their default ports, in-memory SQLite, demo fixtures.
#   docker build -t vendor-fakes . && docker run --rm -p 4100-4400:4100-4400 vendor-fakes
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source where no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY fixtures ./fixtures
COPY openapi ./openapi
EXPOSE 4100 4200 4300 4400
USER node
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["--host", "0.0.0.0"]

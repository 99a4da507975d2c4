# vendor-fakes: MaxTrax on 4100, MACHHUB on 4200, MaintainX on 4300, TrakRF on 4400; in-memory SQLite, demo fixtures.
# The image listens on 0.0.0.0 (VENDOR_FAKES_HOST) and its arguments add to that, e.g.:
#   docker build -t vendor-fakes .
#   docker run --rm -p 4400:4400 vendor-fakes --vendors trakrf
#   docker run --rm -p 4100:4100 -p 4200:4200 -p 4300:4300 -p 4400:4400 -v vendor-fakes-data:/data vendor-fakes --data-dir /data
# Every flag is also an environment variable (VENDOR_FAKES_<FLAG>); see README § Docker.
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source where no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
# npm ci also runs the prepare script: the TypeScript build into dist/.
RUN npm ci
RUN npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
ENV VENDOR_FAKES_HOST=0.0.0.0
ENV VENDOR_FAKES_READY_FILE=/tmp/vendor-fakes.ready.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY fixtures ./fixtures
COPY openapi ./openapi
# In memory by default; --data-dir /data keeps state in this volume, which the node user can write.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 4000 4100 4200 4300 4400
USER node
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "dist/cli.js", "healthcheck"]
ENTRYPOINT ["node", "dist/cli.js"]
CMD []

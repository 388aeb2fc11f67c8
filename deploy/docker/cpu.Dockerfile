# syntax=docker/dockerfile:1
# lnsgd CPU image: parameter server, workers (tfjs wasm/cpu backends) and metrics service.
# Build from the repository root:  docker build -f deploy/docker/cpu.Dockerfile -t lnsgd:cpu .
# (BuildKit reads cpu.Dockerfile.dockerignore next to this file.)

# 1. Compile the TypeScript workspace.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund && npx tsc -b

# 2. Production dependencies only.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY tests/package.json tests/package.json
COPY --from=build /src/apps /app/apps
COPY --from=build /src/libs /app/libs
# The root `prepare` script compiles with tsc, a dev dependency: already done in stage 1.
RUN npm pkg delete scripts.prepare \
 && npm ci --omit=dev --no-audit --no-fund \
 && rm -rf apps/*/src libs/*/src \
 && find apps/*/dist libs/*/dist -name '*.test.js' -delete

# 3. Runtime: non-root, no compiler, Fashion-MNIST for the mlp-fashion preset.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends dataset-fashion-mnist \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 lnsgd && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin lnsgd
WORKDIR /app
COPY --from=deps --chown=root:root /app /app
USER 10001:10001
ENV NODE_ENV=production
EXPOSE 7000 9100
# The Kubernetes manifests set the command per role, e.g. node apps/worker/dist/main.js.
CMD ["node", "apps/cli/bin/lnsgd.js", "--help"]

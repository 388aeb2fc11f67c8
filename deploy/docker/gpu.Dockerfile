# syntax=docker/dockerfile:1
# lnsgd GPU image: as the CPU image, plus @tensorflow/tfjs-node-gpu 4.22 for the workers.
# Build from the repository root:  docker build -f deploy/docker/gpu.Dockerfile -t lnsgd:gpu .
#
# Base: nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04. tfjs-node-gpu 4.x loads libtensorflow
# 2.9.1, built against CUDA 11.2 and cuDNN 8.1; this tag ships the CUDA 11.2 runtime
# libraries and cuDNN 8.1.1 (the runtime flavour: no compiler, smaller). The node's driver
# must support CUDA 11.2 (R460 or newer); the NVIDIA device plugin exposes nvidia.com/gpu.

# 1. Compile the TypeScript workspace.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund && npx tsc -b

# 2. Production dependencies, plus tfjs-node-gpu (its install script downloads libtensorflow-gpu).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY tests/package.json tests/package.json
COPY --from=build /src/apps /app/apps
COPY --from=build /src/libs /app/libs
# The root `prepare` script compiles with tsc, a dev dependency: already done in stage 1.
RUN npm pkg delete scripts.prepare \
 && npm ci --omit=dev --no-audit --no-fund \
 && npm install --no-save --omit=dev --no-audit --no-fund @tensorflow/tfjs-node-gpu@4.22.0 \
 && rm -rf apps/*/src libs/*/src \
 && find apps/*/dist libs/*/dist -name '*.test.js' -delete

# Fashion-MNIST comes from Debian; the CUDA base is Ubuntu, so copy the files over.
FROM debian:bookworm-slim AS datasets
RUN apt-get update && apt-get install -y --no-install-recommends dataset-fashion-mnist && rm -rf /var/lib/apt/lists/*

# 3. Runtime on the CUDA/cuDNN base, with Node copied from the official image.
FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04
COPY --from=deps /usr/local/bin/node /usr/local/bin/node
COPY --from=datasets /usr/share/datasets/fashion-mnist /usr/share/datasets/fashion-mnist
RUN groupadd --gid 10001 lnsgd && useradd --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin lnsgd
WORKDIR /app
COPY --from=deps --chown=root:root /app /app
USER 10001:10001
ENV NODE_ENV=production LNSGD_BACKEND=tensorflow-gpu
EXPOSE 7000 9100
CMD ["node", "apps/cli/bin/lnsgd.js", "--help"]

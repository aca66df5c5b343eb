# syntax=docker/dockerfile:1
# One image recipe for every app: docker build --build-arg APP=order -t platform/order .
# (compose passes APP per service). Stages: deps -> build -> runtime.

ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Manifests alone first, so the install layer is reused until the lockfile changes.
COPY package.json package-lock.json ./
# npm ci runs postinstall: patch-package applies patches/ (a driver fix, docs/dependencies.md).
COPY patches ./patches
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM deps AS build
ARG APP
RUN test -n "${APP}" || { echo "build with --build-arg APP=<app name>" >&2; exit 1; }
# No daemon or remote cache inside a one-shot image build.
ENV NX_DAEMON=false NX_NO_CLOUD=true
COPY . .
# Builds the app and, through ^build, the libraries it imports: dist/apps/<app>/src and
# dist/libs/<lib>/src, which the app requires by relative path.
RUN npx nx build "${APP}" && test -f "dist/apps/${APP}/src/main.js"

FROM ${NODE_IMAGE} AS runtime
ARG APP
# ENV keeps the app name in the image after the build (an ARG does not). HOST: the apps bind
# loopback by default, which inside a container nothing else can reach.
ENV NODE_ENV=production APP=${APP} HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci runs postinstall: patch-package applies patches/ (a driver fix, docs/dependencies.md).
COPY patches ./patches
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
USER node
# Exec form cannot expand $APP, so a shell expands it and `exec` hands its PID over to node:
# signals reach the app itself and its graceful shutdown runs.
CMD ["/bin/sh", "-c", "exec node --enable-source-maps \"dist/apps/${APP}/src/main.js\""]

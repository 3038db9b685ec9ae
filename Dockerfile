# syntax=docker/dockerfile:1
# One image recipe for the four services: `docker build --target ledger .` (or any service).

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json turbo.json tsconfig.base.json ./
COPY packages/ packages/
COPY apps/ apps/
COPY tests/ tests/
RUN npm ci --no-audit --no-fund \
 && npx turbo run build --filter='./apps/*' \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf tests packages/*/src apps/*/src

FROM node:20-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build --chown=root:root /app /app
USER node
ENTRYPOINT ["/usr/bin/tini", "--"]
# The service's own port is in PORT; every service answers /health/ready there.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

FROM runtime AS migrate
HEALTHCHECK NONE
CMD ["node", "packages/persistence/dist/cli/migrate.js"]

FROM runtime AS ingest-gateway
ENV PORT=3000
EXPOSE 3000
CMD ["node", "apps/ingest-gateway/dist/main.js"]

FROM runtime AS reporting
ENV PORT=3001
# glibc hands blocks of 128 KiB and more (typed-array columns, answer pieces) straight back to
# the OS when freed. By default it raises that threshold to the largest block freed (up to
# 32 MiB), after which such blocks come from its heap and stay resident once freed: at 1M facts
# ≈ 40 MiB of RSS held that way (reporting's RSS outside V8's heap and external memory 52 → 9
# MiB after the bench's queries). scripts/start.js and the reporting bench start it the same way.
ENV MALLOC_MMAP_THRESHOLD_=131072
EXPOSE 3001
# Young generation of 2 × 4 MiB semi-spaces instead of up to 2 × 16 (a CLI flag: V8 sets its heap's
# layout at start; apps/reporting/src/v8-flags.ts has the flag that can be set later). At 1M
# facts (2 harness runs each): RSS peak 312 / 318 → 290 / 293 MiB, the fold's 251 / 252 → 228 /
# 230 MiB, same query times within the machine's noise. No limit: only when to scavenge.
CMD ["node", "--max-semi-space-size=4", "apps/reporting/dist/main.js"]

FROM runtime AS ledger
ENV PORT=3002
EXPOSE 3002
CMD ["node", "apps/ledger/dist/main.js"]

FROM runtime AS reconciler
ENV PORT=3003
EXPOSE 3003
CMD ["node", "apps/reconciler/dist/main.js"]

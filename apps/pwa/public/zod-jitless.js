// Runs before the app's modules (a classic script comes before deferred module scripts), so
// before @evb/domain builds its zod schemas. Zod compiles object parsers with `new Function`
// when it may, and probes for that with a `new Function` of its own: under the server's
// Content-Security-Policy (no 'unsafe-eval') the probe fails and Chromium reports a violation,
// even though zod catches it. Jitless, zod never tries; parsing gives the same results. Zod
// reads its configuration from this global when it loads (zod/v4/core: globalConfig).
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, {
  jitless: true,
});

/*
 * The render worker thread's entry in the production build (build.mjs compiles it to
 * dist/render-worker.js). From source, worker.mjs is the entry: it registers tsx first.
 */
export { render as default } from './tasks';

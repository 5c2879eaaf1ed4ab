/*
 * The entry of a render worker thread (src/render/pool.ts). The server's code is TypeScript, run
 * by tsx; a worker thread starts as plain Node, so it registers tsx's loader first and then
 * imports the tasks. The same under `tsx src/main.ts` and under Vitest (the pool starts its
 * workers without the parent's loader flags, so both go this one way).
 */
import { register } from 'tsx/esm/api';

register();
const tasks = await import('./tasks.ts');

export default tasks.render;

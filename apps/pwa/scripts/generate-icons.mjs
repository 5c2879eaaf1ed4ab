// Renders the PWA's PNG icons from the SVG sources in icons/. The PNGs are committed, so this
// runs only when an icon changes: `npx -y pnpm@10 --filter @evb/pwa icons`.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

const app = path.resolve(import.meta.dirname, '..');
const source = (name) => path.join(app, 'icons', name);
const target = (name) => path.join(app, 'public', name);

const outputs = [
  { svg: 'icon.svg', png: 'icons/icon-192.png', size: 192 },
  { svg: 'icon.svg', png: 'icons/icon-512.png', size: 512 },
  // Maskable: full-bleed background, the mark inside the central safe zone.
  { svg: 'icon-maskable.svg', png: 'icons/icon-maskable-512.png', size: 512 },
  // iOS rounds the corners itself, so it gets the full-bleed one too.
  { svg: 'icon-maskable.svg', png: 'apple-touch-icon.png', size: 180 },
];

await mkdir(target('icons'), { recursive: true });
for (const { svg, png, size } of outputs) {
  const rendered = new Resvg(await readFile(source(svg)), {
    fitTo: { mode: 'width', value: size },
  }).render();
  await writeFile(target(png), rendered.asPng());
  console.log(`${png}: ${size}×${size}`);
}
await copyFile(source('icon.svg'), target('favicon.svg'));
console.log('favicon.svg');

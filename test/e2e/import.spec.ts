import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { signIn } from './support/session';

/** A valid personnummer: birth date `YYYYMMDD`, three serial digits, and the Luhn check digit. */
function pnr(birth: string, serial: string): string {
  const nine = `${birth.slice(2)}${serial}`;
  let sum = 0;
  for (let i = 0; i < nine.length; i++) {
    let digit = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return `${birth}${serial}${(10 - (sum % 10)) % 10}`;
}

const HEADER =
  'beslutsid;personnummer;förnamn;efternamn;lagrum;insats;beslutsdatum;handläggare;beställd till;verkställighetsdatum;avbrott';

/**
 * The case system's export as Swedish Excel writes it: `;`, a BOM, CRLF. Ingrid's decision is a
 * running case, executed on `ingridVerkstalld` and interrupted on 2026-10-20 (the columns under
 * an alias, as a case system may name them); Johan's still waits.
 */
function exportFile(
  insatsOfSecondRow: string,
  ingridVerkstalld = '2026-10-05',
): { name: string; mimeType: string; buffer: Buffer } {
  const rows = [
    HEADER,
    `E2E-IMPORT-1;${pnr('19630512', '234')};Ingrid;Import;LSS;Daglig verksamhet;2026-09-01;handlaggare;;${ingridVerkstalld};2026-10-20`,
    `E2E-IMPORT-2;${pnr('19880917', '151')};Johan;Import;LSS;${insatsOfSecondRow};2026-09-15;handlaggare;Kontaktpersonsenheten;;`,
  ];
  return {
    name: 'export.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`\uFEFF${rows.join('\r\n')}\r\n`, 'utf8'),
  };
}

test('a handläggare imports decisions from the case system: a refused row is named, fixed and the file imported once', async ({
  page,
}) => {
  await signIn(page, 'handlaggare');
  await page
    .getByRole('navigation', { name: 'Huvudmeny' })
    .getByRole('link', { name: 'Importera' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Importera beslut' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Kolumnerna i importfilen' })).toContainText(
    'beställd till',
  );

  // The example file downloads as the documented columns.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Ladda ner en exempelfil' }).first().click(),
  ]);
  expect(download.suggestedFilename()).toBe('evb-import-exempel.csv');
  const example = await readFile((await download.path()) ?? '', 'utf8');
  expect(example.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(
    /^beslutsid;personnummer;förnamn;/,
  );

  await expect(page.getByRole('table', { name: 'Kolumnerna i importfilen' })).toContainText(
    'avslutsanledning',
  );

  // Two bad rows: Ingrid's execution is dated before her decision, and Johan's insats is not one
  // of IVO's.
  await page.getByLabel('CSV-fil').setInputFiles(exportFile('Simskola', '2026-08-01'));
  await page.getByRole('button', { name: 'Provkör filen' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Provkörning' })).toBeVisible();
  const refused = page.getByRole('table', { name: /per rad i filen \(rubrikraden är rad 1\)/ });
  await expect(refused.getByRole('row')).toHaveCount(3);
  await expect(refused.getByRole('row').nth(1)).toContainText('2');
  await expect(refused.getByRole('row').nth(1)).toContainText('verkställighetsdatum');
  await expect(refused.getByRole('row').nth(1)).toContainText(
    'Verkställd 2026-08-01 är före beslutsdatum 2026-09-01',
  );
  await expect(refused.getByRole('row').nth(2)).toContainText('3');
  await expect(refused.getByRole('row').nth(2)).toContainText('insats');
  await expect(refused.getByRole('row').nth(2)).toContainText('Okänd insats "Simskola"');
  await expect(page.getByText('2 rader kan inte importeras.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Importera/ })).toHaveCount(0);

  // Fixed in the case system and exported again.
  await page.getByLabel('CSV-fil').setInputFiles(exportFile('Biträde av kontaktperson'));
  await expect(page.getByRole('heading', { level: 2, name: 'Provkörning' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Provkör filen' }).click();
  await expect(page.getByText('2 beslut kan importeras', { exact: false })).toBeVisible();
  await page.getByText(/^Visa 2 beslut som kan importeras/).click();
  const accepted = page.getByRole('table', { name: 'Beslut som kan importeras, per rad i filen' });
  await expect(accepted.getByRole('row').nth(1)).toContainText(
    'Verkställd 5 oktober 2026, avbrott 20 oktober 2026',
  );
  await expect(accepted.getByRole('row').nth(2)).toContainText('Väntar');
  await page.getByRole('button', { name: 'Importera 2 beslut' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Importen är klar.' })).toContainText(
    '2 beslut importerades',
  );
  await expect(page.getByRole('status').filter({ hasText: 'Importen är klar.' })).toContainText(
    'blev 2 händelser',
  );

  // The same file again adds nothing.
  await page.getByLabel('CSV-fil').setInputFiles(exportFile('Biträde av kontaktperson'));
  await page.getByRole('button', { name: 'Provkör filen' }).click();
  await expect(page.getByText('2 beslut är redan importerade och lämnas som de är.')).toBeVisible();
  await expect(page.getByText('Det finns inget nytt att importera i filen.')).toBeVisible();

  // The decisions are the handläggare's own: Johan's waiting since its beslutsdatum, Ingrid's
  // waiting again since the interruption.
  await page.goto('/beslut');
  await expect(page.getByText('Johan Import')).toBeVisible({ timeout: 20_000 });
  const ingrid = page.getByRole('listitem').filter({ hasText: 'Ingrid Import' });
  await expect(ingrid).toBeVisible();
  await expect(ingrid).toContainText('Avbrott – väntar');
});

/** Downloads the page's first example file and chooses it as the file to import. */
async function useExampleFile(page: Page, name: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Ladda ner en exempelfil' }).first().click(),
  ]);
  expect(download.suggestedFilename()).toBe(name);
  const path = (await download.path()) ?? '';
  await page.getByLabel('CSV-fil').setInputFiles(path);
  return readFile(path, 'utf8');
}

test('a rapportör brings the nämnd’s earlier filings with IVO: the example files of both imports, recorded once', async ({
  page,
}) => {
  // The handläggare imports the decision import's example: four decisions, two of them with a
  // line in kv 3 2026.
  await signIn(page, 'handlaggare');
  await page.goto('/import');
  await useExampleFile(page, 'evb-import-exempel.csv');
  await page.getByRole('button', { name: 'Provkör filen' }).click();
  await page.getByRole('button', { name: 'Importera 4 beslut' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Importen är klar.' })).toBeVisible();
  await page.getByRole('button', { name: 'Logga ut' }).click();

  // The rapportör finds the filings import under Importera, with its own columns and example.
  await signIn(page, 'rapportor');
  await page
    .getByRole('navigation', { name: 'Huvudmeny' })
    .getByRole('link', { name: 'Importera' })
    .click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Importera tidigare inlämningar till IVO' }),
  ).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Kolumnerna i filen med tidigare inlämningar' }),
  ).toContainText('2026 kv 1');
  const example = await useExampleFile(page, 'evb-tidigare-inlamningar-exempel.csv');
  expect(example.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(
    'personnummer;beslutsdatum;insats;avbrottsdatum;kvartal;rapporttyp;inlämnad',
  );
  await page.getByRole('button', { name: 'Provkör filen' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Provkörning' })).toBeVisible();
  await expect(
    page.getByText('2 inlämningar kan registreras som rapporterade till IVO.'),
  ).toBeVisible();
  await page.getByText(/^Visa 2 inlämningar som kan registreras/).click();
  const accepted = page.getByRole('table', {
    name: 'Inlämningar som kan registreras, per rad i filen',
  });
  await expect(accepted.getByRole('row').nth(1)).toContainText('Nyrapportering, ej verkställt');
  await expect(accepted.getByRole('row').nth(2)).toContainText('Avbrottet 1 juni 2026');
  await expect(accepted.getByRole('row').nth(2)).toContainText(
    'Nyrapportering, verkställt 15 september 2026',
  );
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await page.getByRole('button', { name: 'Registrera 2 inlämningar' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Importen är klar.' })).toContainText(
    '2 inlämningar registrerades som rapporterade till IVO.',
  );

  // The same file again: both are recorded already, and nothing is offered.
  await useExampleFile(page, 'evb-tidigare-inlamningar-exempel.csv');
  await page.getByRole('button', { name: 'Provkör filen' }).click();
  const refused = page.getByRole('table', { name: /per rad i filen \(rubrikraden är rad 1\)/ });
  await expect(refused.getByRole('row')).toHaveCount(3);
  await expect(refused.getByRole('row').nth(1)).toContainText('redan registrerad');
  await expect(refused.getByRole('row').nth(2)).toContainText('redan registrerad');
  await expect(page.getByRole('button', { name: /^Registrera/ })).toHaveCount(0);
});

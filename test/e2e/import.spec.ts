import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
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
  'beslutsid;personnummer;förnamn;efternamn;lagrum;insats;beslutsdatum;handläggare;beställd till';

/** The case system's export as Swedish Excel writes it: `;`, a BOM, CRLF. */
function exportFile(insatsOfSecondRow: string): { name: string; mimeType: string; buffer: Buffer } {
  const rows = [
    HEADER,
    `E2E-IMPORT-1;${pnr('19630512', '234')};Ingrid;Import;LSS;Daglig verksamhet;2026-09-01;handlaggare;`,
    `E2E-IMPORT-2;${pnr('19880917', '151')};Johan;Import;LSS;${insatsOfSecondRow};2026-09-15;handlaggare;Kontaktpersonsenheten`,
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

  // One bad row: the insats is not one of IVO's.
  await page.getByLabel('CSV-fil').setInputFiles(exportFile('Simskola'));
  await page.getByRole('button', { name: 'Provkör filen' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Provkörning' })).toBeVisible();
  const refused = page.getByRole('table', { name: /per rad i filen \(rubrikraden är rad 1\)/ });
  await expect(refused.getByRole('row')).toHaveCount(2);
  await expect(refused.getByRole('row').nth(1)).toContainText('3');
  await expect(refused.getByRole('row').nth(1)).toContainText('insats');
  await expect(refused.getByRole('row').nth(1)).toContainText('Okänd insats "Simskola"');
  await expect(page.getByText('1 rad kan inte importeras.')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Importera/ })).toHaveCount(0);

  // Fixed in the case system and exported again.
  await page.getByLabel('CSV-fil').setInputFiles(exportFile('Biträde av kontaktperson'));
  await expect(page.getByRole('heading', { level: 2, name: 'Provkörning' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Provkör filen' }).click();
  await expect(page.getByText('2 beslut kan importeras', { exact: false })).toBeVisible();
  await page.getByRole('button', { name: 'Importera 2 beslut' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Importen är klar.' })).toContainText(
    '2 beslut importerades',
  );

  // The same file again adds nothing.
  await page.getByLabel('CSV-fil').setInputFiles(exportFile('Biträde av kontaktperson'));
  await page.getByRole('button', { name: 'Provkör filen' }).click();
  await expect(page.getByText('2 beslut är redan importerade och lämnas som de är.')).toBeVisible();
  await expect(page.getByText('Det finns inget nytt att importera i filen.')).toBeVisible();

  // The decisions are the handläggare's own, waiting since their beslutsdatum.
  await page.goto('/beslut');
  await expect(page.getByText('Johan Import')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('Ingrid Import')).toBeVisible();
});

import { describe, expect, it } from 'vitest';
import {
  type FilingImportDone,
  type FilingImportPreview,
  filingDoneSummary,
  filingPreviewSummary,
} from './filing-import-view';

const preview = (accepted: number, rows: number) =>
  ({
    rows,
    accepted: Array.from({ length: accepted }, () => ({})),
    refused: [],
  }) as unknown as FilingImportPreview;

describe('the filings import in Swedish', () => {
  it('agrees the participle with the count: one inlämning is rapporterad, two are rapporterade', () => {
    expect(filingPreviewSummary(preview(1, 1))).toContain(
      '1 inlämning kan registreras som rapporterad till IVO.',
    );
    expect(filingPreviewSummary(preview(2, 2))).toContain(
      '2 inlämningar kan registreras som rapporterade till IVO.',
    );
    expect(filingDoneSummary({ recorded: 1 } as FilingImportDone)).toBe(
      '1 inlämning registrerades som rapporterad till IVO.',
    );
    expect(filingDoneSummary({ recorded: 69 } as FilingImportDone)).toBe(
      '69 inlämningar registrerades som rapporterade till IVO.',
    );
  });
});

import { CaseEventSchema } from '@evb/domain';
import { z } from 'zod';

/*
 * What a phone sends to sync. A push is checked in two steps: the envelope (a list of at most
 * MAX_MUTATIONS items that each carry an id) as the procedure's input, so a malformed call is a
 * 400; then each item on its own, so that one bad item is answered as rejected, naming the field,
 * while the others are applied.
 */

export const MAX_MUTATIONS = 500;
/** The largest draft the server keeps, as JSON text. */
export const MAX_DRAFT_BYTES = 64 * 1024;

export const PushInputSchema = z.object({
  /** Which device or browser is pushing; only recorded in the audit log. */
  clientId: z
    .string({ error: 'Ange klientens id som text' })
    .max(100, { error: 'Klientens id får ha högst 100 tecken' })
    .regex(/^[\w.:-]{1,100}$/, {
      error: 'Klientens id får bara innehålla bokstäver, siffror och .:-_',
    })
    .optional(),
  mutations: z
    .array(z.looseObject({ id: z.string({ error: 'Ändringens id saknas' }).max(100) }), {
      error: 'Skicka ändringarna som en lista',
    })
    .max(MAX_MUTATIONS, { error: `Skicka högst ${MAX_MUTATIONS} ändringar åt gången` }),
});
export type PushInput = z.infer<typeof PushInputSchema>;

export const MutationIdSchema = z.uuid({ error: 'Ändringens id måste vara ett UUID' });

const DraftSchema = z.object({
  id: z.uuid({ error: 'Utkastets id måste vara ett UUID' }),
  decisionId: z
    .string({ error: 'Beslutets id ska vara text' })
    .trim()
    .min(1, { error: 'Beslutets id saknas' })
    .max(100)
    .nullable()
    .optional(),
  form: z
    .string({ error: 'Ange vilket formulär utkastet gäller' })
    .max(50, { error: 'Okänt formulärnamn' })
    .regex(/^[a-z][a-z0-9_.-]{0,49}$/, { error: 'Okänt formulärnamn' }),
  data: z
    .record(z.string(), z.json(), { error: 'Utkastets innehåll ska vara ett objekt' })
    .refine((data) => Buffer.byteLength(JSON.stringify(data)) <= MAX_DRAFT_BYTES, {
      error: `Utkastet är för stort (högst ${MAX_DRAFT_BYTES / 1024} kB)`,
    }),
  updatedAt: z
    .string({ error: 'Ange när utkastet ändrades (ISO-tidpunkt)' })
    .max(40, { error: 'Ange när utkastet ändrades (ISO-tidpunkt)' })
    .pipe(z.iso.datetime({ offset: true, error: 'Ange när utkastet ändrades (ISO-tidpunkt)' })),
});

export const MutationSchema = z.discriminatedUnion(
  'kind',
  [
    /** Log an event on a decision (appendCaseEvent decides whether it may be logged). */
    z.object({ id: MutationIdSchema, kind: z.literal('event'), event: CaseEventSchema }),
    /** Save a draft (the newer edit wins). */
    z.object({ id: MutationIdSchema, kind: z.literal('draft'), draft: DraftSchema }),
    /** Delete a draft: it is submitted or thrown away. */
    z.object({
      id: MutationIdSchema,
      kind: z.literal('draft.delete'),
      draftId: z.uuid({ error: 'Utkastets id måste vara ett UUID' }),
    }),
  ],
  { error: 'Okänd typ av ändring (kind): event, draft eller draft.delete' },
);
export type Mutation = z.infer<typeof MutationSchema>;
export type DraftInput = z.infer<typeof DraftSchema>;

export const MAX_PULL_LIMIT = 2000;
export const MAX_CURSOR_LENGTH = 500;
export const DEFAULT_PULL_LIMIT = 500;

export const PullInputSchema = z.object({
  /**
   * The cursor of the last pull (opaque text); null for a first sync. A number is a cursor of an
   * earlier version of evb: the device syncs anew.
   */
  cursor: z
    .union(
      [
        z.string().max(MAX_CURSOR_LENGTH, { error: 'Markören är för lång' }),
        z
          .number()
          .int({ error: 'Ange markören som text, ett heltal eller null' })
          .min(0, { error: 'Markören kan inte vara negativ' })
          .max(Number.MAX_SAFE_INTEGER),
      ],
      { error: 'Ange markören som text, ett heltal eller null' },
    )
    .nullable(),
  /**
   * A first sync's page holds at most this many decisions (each with all its events and filings);
   * a later pull's about this many rows of changes.
   */
  limit: z
    .number({ error: 'Ange gränsen som ett heltal' })
    .int({ error: 'Ange gränsen som ett heltal' })
    .min(1, { error: 'Gränsen måste vara minst 1' })
    .max(MAX_PULL_LIMIT, { error: `Gränsen får vara högst ${MAX_PULL_LIMIT}` })
    .optional(),
  /**
   * The scopeKey of the last pull. When the caller's roles changed since, the pull starts over
   * with a full snapshot (`reset: true`): what the phone holds may no longer be theirs to see.
   */
  scopeKey: z.string({ error: 'Ange behörighetsnyckeln som text' }).max(100).optional(),
});
export type PullInput = z.infer<typeof PullInputSchema>;

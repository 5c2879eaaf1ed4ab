import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../router';
import { ORG } from '../testing/fixture';
import { callerFor, useTestDatabase } from '../testing/harness';

/*
 * Random input to every procedure of the server, as nobody and as a user holding every role: the
 * answer is a result or a refusal (400, 401, 403, 404, 409, 429…), never a 500. New procedures are
 * covered as soon as they are registered in the app router.
 */

// Random calls may change data; the fuzzing only asks that none answers 500, so one fixture serves.
const database = useTestDatabase({ reset: 'once' });

beforeAll(async () => {
  await database.db
    .insertInto('appUser')
    .values({ id: 'alla', username: 'alla', displayName: 'Alla roller', passwordHash: 'x' })
    .execute();
  const grants = [
    { role: 'utforare' as const, enhetId: ORG.enhetA },
    { role: 'matchare' as const, enhetId: ORG.boendeteamet },
    { role: 'handlaggare' as const, namndId: ORG.vard },
    { role: 'rapportor' as const, namndId: ORG.social },
    { role: 'huvudrapportor' as const, namndId: ORG.vard },
    { role: 'admin' as const },
  ];
  await database.db
    .insertInto('userRole')
    .values(
      grants.map((g, i) => ({
        id: `alla-${i}`,
        userId: 'alla',
        role: g.role,
        namndId: 'namndId' in g ? g.namndId : null,
        verksamhetsomrade: null,
        enhetId: 'enhetId' in g ? g.enhetId : null,
      })),
    )
    .execute();
});

// Keys the procedures use, so random objects reach past the first field check.
const KEYS = [
  'id',
  'decisionId',
  'personId',
  'userId',
  'namndId',
  'enhetId',
  'date',
  'beslutsdatum',
  'insats',
  'lagrum',
  'verksamhetsomrade',
  'inriktning',
  'quarter',
  'year',
  'cursor',
  'limit',
  'offset',
  'mutations',
  'event',
  'type',
  'text',
  'username',
  'password',
  'person',
  'personnummer',
  'role',
  'roles',
  'messageKey',
  'anledning',
  'kontakt',
  'search',
  'status',
  'kind',
  'data',
  'form',
  'code',
  'response',
  'name',
  'required',
];
const junk = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '2026-02-30',
    '2026-11-22',
    '9999-99-99',
    '',
    ' ',
    'x'.repeat(5000),
    '🙂',
    "'; drop table decision; --",
    'a\u0000b',
    '\ud800',
    'slut\ud83d',
    '\udc00början',
    '0000-01-01',
    '9999-12-31',
    '+275760-09-13',
    'x'.repeat(1_000_000),
    ORG.vard,
    ORG.enhetA,
    'utforareA',
    'LSS_9_10',
    'LSS',
    'SoL',
  ),
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -0, Number.MAX_SAFE_INTEGER, -1, 0.5),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    junk,
    fc.array(tie('node'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 6 }),
})).node;
const input = fc.oneof(value, fc.anything());

function procedureAt(caller: object, path: string): (input: unknown) => Promise<unknown> {
  let node: unknown = caller;
  for (const key of path.split('.')) node = (node as Record<string, unknown>)[key];
  return node as (input: unknown) => Promise<unknown>;
}

const paths = Object.keys(appRouter._def.procedures);

describe('fuzzing every procedure', () => {
  it('knows the procedures it fuzzes', () => {
    expect(paths).toContain('auth.login');
  });

  for (const path of paths) {
    it(`${path} never answers a 500`, async () => {
      const callers = [await callerFor(database, null), await callerFor(database, 'alla')];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(0, 1), input, async (who, args) => {
          try {
            await procedureAt(callers[who]!, path)(args);
          } catch (error) {
            if (!(error instanceof TRPCError) || error.code === 'INTERNAL_SERVER_ERROR') {
              throw new Error(
                `${path}(${JSON.stringify(args)?.slice(0, 300)}): ${String((error as Error).cause ?? error)}`,
              );
            }
          }
        }),
        { numRuns: 40 },
      );
    });
  }
});

/** A list nested `depth` deep around `inner`. */
function nested(depth: number, inner: unknown = 'x'): unknown {
  let value = inner;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

// Each was a 500 somewhere: NUL and half surrogate pairs cannot be stored, year 0000 is no
// PostgreSQL date, a deep value overflowed the input check's stack, a huge text went into the
// database and then into a PDF.
const HOSTILE: Record<string, unknown> = {
  'a NUL character': 'a\u0000b',
  'half a surrogate pair': 'a\ud800b',
  'year 0000': '0000-01-01',
  'year 9999': '9999-12-31',
  'a text of 5 million characters': 'x'.repeat(5_000_000),
  'a value nested 100 000 deep': nested(100_000),
  'a number past every limit': 1e308,
  'a list of 200 000 items': Array.from({ length: 200_000 }, () => 'x'),
};

for (const [what, hostile] of Object.entries(HOSTILE)) {
  describe(`${what} in every field`, () => {
    const input = Object.fromEntries(KEYS.map((key) => [key, hostile]));
    for (const path of paths) {
      it(`${path} refuses it with a 4xx, never a 500`, async () => {
        const caller = await callerFor(database, 'alla');
        const outcome = await procedureAt(
          caller,
          path,
        )(input).then(
          () => 'ok',
          (error: unknown) =>
            error instanceof TRPCError ? error.code : `not a TRPCError: ${String(error)}`,
        );
        expect(outcome).not.toBe('INTERNAL_SERVER_ERROR');
        expect(outcome).not.toMatch(/^not a TRPCError/);
      });
    }
  });
}

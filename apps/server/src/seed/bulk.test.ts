import { todayInStockholm } from '@evb/domain';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedCounts } from '../data/seed';
import { useTestDatabase } from '../testing/harness';
import { bulkBatches, bulkOrganisation } from './bulk';
import { parseSeedArgs, runSeed, SeedRefusedError, SeedUsageError } from './command';
import { DEMO_USERNAMES } from './organisation';
import { presentDemoUsers } from './startup';

const today = todayInStockholm();
// The seed writes its own organisation and users: an empty database, without the fixture.
const database = useTestDatabase({ fixture: false });
const log: string[] = [];

beforeEach(() => {
  log.length = 0;
});

const seed = (argv: string[]) => runSeed(database, parseSeedArgs(argv), today, (l) => log.push(l));

describe('seed --size N', () => {
  it('writes N decisions with the requested number of events on average', async () => {
    const summary = await seed(['--size', '400', '--events-per-decision', '6']);
    expect(summary.decisions).toBe(400);
    expect(summary.events / summary.decisions).toBeGreaterThan(6 * 0.9);
    expect(summary.events / summary.decisions).toBeLessThan(6 * 1.1);
    expect(await seedCounts(database.db)).toEqual(summary);
    expect(log.join('\n')).toMatch(/Checked [\d,]+ events one by one .*: 0 refused/);
    expect(log.join('\n')).toContain('Seeded 400 decisions');
    // The demo users are there to look at the data with.
    expect((await presentDemoUsers(database.db)).map((u) => u.username)).toEqual(DEMO_USERNAMES);
  });

  it('takes a fractional average, and zero events', async () => {
    const fractional = await seed(['--size', '300', '--events-per-decision', '2.5']);
    expect(fractional.events / fractional.decisions).toBeGreaterThan(2.5 * 0.85);
    expect(fractional.events / fractional.decisions).toBeLessThan(2.5 * 1.15);
    const none = await seed(['--size', '50', '--events-per-decision', '0', '--reset']);
    expect(none).toMatchObject({ decisions: 50, events: 0 });
  });

  it('refuses a database that has data unless --reset is given, and then replaces it', async () => {
    await seed(['--size', '30', '--events-per-decision', '3']);
    await expect(seed(['--size', '20'])).rejects.toThrow(SeedRefusedError);
    await expect(seed(['--size', '20'])).rejects.toThrow(/not empty .*--reset/);
    expect((await seedCounts(database.db)).decisions).toBe(30);
    await seed(['--size', '20', '--events-per-decision', '1', '--reset']);
    expect((await seedCounts(database.db)).decisions).toBe(20);
  });

  it('seeds the demo kommun without --size', async () => {
    const summary = await seed([]);
    expect(summary.decisions).toBe(300);
  });
});

describe('the large nämnd', () => {
  it('gets about 18 % of the decisions, about a quarter of them still waiting', () => {
    const options = { size: 10_000, eventsPerDecision: 2, today };
    const plan = bulkOrganisation(options);
    let inLarge = 0;
    let waiting = 0;
    for (const batch of bulkBatches(plan, options)) {
      inLarge += batch.decisions.filter((d) => d.namndId === plan.large.id).length;
      waiting += batch.waitingInLarge;
    }
    expect(inLarge / options.size).toBeGreaterThan(0.16);
    expect(inLarge / options.size).toBeLessThan(0.2);
    // At 100 000 decisions that is about 5 000 waiting, the benchmark's large nämnd.
    const at100k = waiting * (100_000 / options.size);
    expect(at100k).toBeGreaterThan(4000);
    expect(at100k).toBeLessThan(6500);
  });
});

describe('the seed command line', () => {
  it.each([
    [['--size', 'many'], /--size must be a whole number/],
    [['--size', '1.5'], /--size must be a whole number/],
    [['--size', '0'], /--size must be at least 1/],
    [['--events-per-decision=-1'], /at least 0/],
    [['--sise', '10'], /Unknown option '--sise'/],
    [['--size'], /argument missing/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(SeedUsageError);
    expect(() => parseSeedArgs(argv)).toThrow(message);
  });

  it('reads the options', () => {
    expect(
      parseSeedArgs([
        '--size',
        '100000',
        '--events-per-decision',
        '20',
        '--reset',
        '--database-url',
        'postgresql://x@h/db',
      ]),
    ).toEqual({
      size: 100000,
      eventsPerDecision: 20,
      reset: true,
      databaseUrl: 'postgresql://x@h/db',
      help: false,
    });
    expect(parseSeedArgs([])).toEqual({ eventsPerDecision: 20, reset: false, help: false });
  });
});

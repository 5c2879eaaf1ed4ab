import { BlockList, isIP } from 'node:net';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/*
 * One client trying many usernames (password spraying) meets a limit per client address on top
 * of the per-username lock (throttle.ts): CLIENT_MAX_FAILURES failed sign-ins within
 * CLIENT_WINDOW_SECONDS, then every sign-in from that address is refused with 429 and a
 * Retry-After for CLIENT_BLOCK_SECONDS. Each attempt takes its point before the password is
 * checked and a successful sign-in gives it back, so only failures count and parallel attempts
 * cannot slip past the limit.
 *
 * An IPv6 client is counted by its /64 network, which one subscriber can fill with addresses.
 *
 * The count is kept in the server process's memory (rate-limiter-flexible's RateLimiterMemory):
 * right for one server process; several processes behind a load balancer would each keep their
 * own count, and would need the library's PostgreSQL store instead.
 */

export const CLIENT_MAX_FAILURES = 30;
export const CLIENT_WINDOW_SECONDS = 15 * 60;
export const CLIENT_BLOCK_SECONDS = 15 * 60;

export type SignInLimiter = {
  /** Takes one attempt of the client's allowance; how long to wait when none is left. */
  take(client: string): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
  /** Gives back the attempt of a sign-in that succeeded. */
  giveBack(client: string): Promise<void>;
};

export function createSignInLimiter(
  options: { maxFailures?: number; windowSeconds?: number; blockSeconds?: number } = {},
): SignInLimiter {
  const limiter = new RateLimiterMemory({
    keyPrefix: 'sign-in',
    points: options.maxFailures ?? CLIENT_MAX_FAILURES,
    duration: options.windowSeconds ?? CLIENT_WINDOW_SECONDS,
    blockDuration: options.blockSeconds ?? CLIENT_BLOCK_SECONDS,
  });
  return {
    async take(client) {
      try {
        await limiter.consume(limitKey(client));
        return { ok: true };
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        return {
          ok: false,
          retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)),
        };
      }
    },
    async giveBack(client) {
      await limiter.reward(limitKey(client), 1);
    },
  };
}

/** What the per-client limit counts by: an IPv4 address, or an IPv6 address's /64 network. */
export function limitKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::ffff:1.2.3.4) is two groups; only the first four groups matter here.
  const rightGroups = right.flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const missing = 8 - left.length - rightGroups.length;
  const groups = [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...rightGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/** `::ffff:192.0.2.1` (IPv4 over an IPv6 socket) is 192.0.2.1. */
function normalised(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address.toLowerCase();
}

/**
 * Reads TRUSTED_PROXIES: addresses and CIDR ranges separated by commas (`10.0.0.5, 10.1.0.0/16,
 * ::1`), or `loopback` for 127.0.0.0/8 and ::1. Returns the problem of the first entry that is
 * neither, or the list.
 */
export function parseTrustedProxies(
  value: string,
): { ok: true; entries: string[] } | { ok: false; problem: string } {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (entry === 'loopback') continue;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    const bits = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || rest.length > 0) {
      return {
        ok: false,
        problem: `must be IP addresses or CIDR ranges separated by commas (or "loopback"), got ${JSON.stringify(entry)}`,
      };
    }
  }
  return { ok: true, entries };
}

/** The client address of a request, given the proxies it may come through. */
export type ClientAddressOf = (
  remoteAddress: string | undefined,
  forwardedFor: string | undefined,
) => string | null;

/**
 * X-Forwarded-For is read only when the connecting address is a trusted proxy: then the client
 * is the rightmost address in it that is not itself a trusted proxy (each proxy appends the
 * address it received the request from; anything to the left of that the client may have
 * written itself). Without trusted proxies the connecting address is the client.
 */
export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddressOf {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    if (entry === 'loopback') {
      trusted.addSubnet('127.0.0.0', 8, 'ipv4');
      trusted.addAddress('::1', 'ipv6');
      continue;
    }
    const [address = '', prefix] = entry.split('/');
    if (prefix === undefined) {
      const single = normalised(address);
      trusted.addAddress(single, isIP(single) === 4 ? 'ipv4' : 'ipv6');
    } else {
      trusted.addSubnet(address, Number(prefix), isIP(address) === 4 ? 'ipv4' : 'ipv6');
    }
  }
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
  return (remoteAddress, forwardedFor) => {
    if (!remoteAddress) return null;
    let client = normalised(remoteAddress);
    if (!isTrusted(client) || !forwardedFor) return client;
    const hops = forwardedFor.split(',').map((hop) => normalised(hop.trim()));
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] ?? '';
      if (isIP(hop) === 0) break;
      client = hop;
      if (!isTrusted(hop)) break;
    }
    return client;
  };
}

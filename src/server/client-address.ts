/**
 * Who a request comes from. Without trusted proxies: the socket's peer. With them, and only
 * when the peer is one of them: `X-Forwarded-For` read from the right, skipping trusted hops;
 * the first untrusted hop is the client (hops left of it could be forged by that client). When
 * every hop is trusted, the leftmost is taken. Addresses are shown as AWS shows them: IPv4
 * dotted, never IPv4-mapped IPv6.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { parseCidr } from '../app/config.js';

export type ClientAddress = (req: IncomingMessage) => string;

/** `::ffff:10.0.0.1` → `10.0.0.1`; anything else unchanged. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function forwardedHops(req: IncomingMessage): string[] {
  const header = req.headers['x-forwarded-for'];
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '');
  return joined
    .split(',')
    .map((hop) => plainAddress(hop.trim()))
    .filter((hop) => hop !== '');
}

/** The resolver for `trustedProxies` (CIDRs as config.ts checked them). */
export function clientAddressResolver(trustedProxies: readonly string[]): ClientAddress {
  const peer = (req: IncomingMessage): string => plainAddress(req.socket.remoteAddress ?? '');
  if (trustedProxies.length === 0) return peer;
  const trusted = new BlockList();
  for (const cidr of trustedProxies) {
    const parsed = parseCidr(cidr)!;
    trusted.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  const isTrusted = (address: string): boolean => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
  return (req) => {
    let client = peer(req);
    if (!isTrusted(client)) return client;
    const hops = forwardedHops(req);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      // A hop that is not an address (garbage, "unknown") cannot be trusted further.
      if (isIP(hop) === 0) return client;
      client = hop;
      if (!isTrusted(hop)) return hop;
    }
    return client;
  };
}

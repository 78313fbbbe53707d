/**
 * Which IP addresses the crawler may connect to: only globally reachable unicast ones. A government
 * page, a redirect or a DNS answer that points at 127.0.0.1, 10.x, 169.254.169.254 (cloud metadata)
 * or an intranet name must never make the crawler talk to the machine it runs on or its network.
 *
 * The ranges are the non-globally-reachable entries of the IANA IPv4 and IPv6 special-purpose address
 * registries (RFC 6890 and its updates). IPv6 is checked as "global unicast 2000::/3 minus the special
 * blocks inside it", so everything else (::, ::1, fc00::/7, fe80::/10, fec0::/10, ff00::/8, 100::/64…)
 * is refused without being listed. IPv6 forms that carry an IPv4 address (::ffff:a.b.c.d, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address they carry.
 */
import net from 'node:net';

/** IPv4 blocks that are not globally reachable (or are reserved, multicast or for documentation). */
const NOT_PUBLIC_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 connects to the local host on Linux
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT: the provider's network, not the internet
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, includes cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1 (documentation)
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

/** Blocks inside global unicast 2000::/3 that are not public anyway. */
const NOT_PUBLIC_V6_IN_GLOBAL: ReadonlyArray<readonly [string, number]> = [
  ['2001::', 23], // IETF protocol assignments: Teredo, benchmarking 2001:2::/48, ORCHID…
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
  ['5f00::', 16], // SRv6 segment identifiers
];

const v4Blocked = new net.BlockList();
for (const [prefix, bits] of NOT_PUBLIC_V4) v4Blocked.addSubnet(prefix, bits, 'ipv4');
const v6Blocked = new net.BlockList();
for (const [prefix, bits] of NOT_PUBLIC_V6_IN_GLOBAL) v6Blocked.addSubnet(prefix, bits, 'ipv6');
const v6Global = new net.BlockList();
v6Global.addSubnet('2000::', 3, 'ipv6');

/**
 * True when `ip` (an IPv4 or IPv6 address, with or without [brackets] or a %zone) is a globally
 * reachable unicast address. Anything that is not an IP address, or cannot be classified, is false:
 * the crawler refuses what it cannot vouch for.
 */
export function isPublicAddress(ip: string): boolean {
  let address = ip.trim();
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  const zone = address.indexOf('%');
  // A zone index only makes sense for link-local addresses, which are refused anyway.
  if (zone >= 0) return false;
  switch (net.isIP(address)) {
    case 4:
      return !v4Blocked.check(address, 'ipv4');
    case 6:
      return isPublicV6(address);
    default:
      return false;
  }
}

function isPublicV6(address: string): boolean {
  const words = ipv6Words(address);
  if (!words) return false;
  const [w0, w1, w2, w3, w4, w5] = words;
  // ::ffff:a.b.c.d, IPv4-mapped: a socket to it is a socket to the IPv4 address.
  if (w0 === 0 && w1 === 0 && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0xffff) {
    return isPublicAddress(ipv4From(words[6], words[7]));
  }
  // 64:ff9b::a.b.c.d, NAT64 well-known prefix: the translator connects to the IPv4 address. This is
  // how a v4-only government site looks from a v6-only (DNS64) network, so a public one is allowed.
  if (w0 === 0x64 && w1 === 0xff9b && w2 === 0 && w3 === 0 && w4 === 0 && w5 === 0) {
    return isPublicAddress(ipv4From(words[6], words[7]));
  }
  // 2002:AABB:CCDD::/48, 6to4: the IPv4 address is in the second and third words.
  if (w0 === 0x2002) return isPublicAddress(ipv4From(w1, w2));
  const canonical = words.map((w) => w.toString(16)).join(':');
  return v6Global.check(canonical, 'ipv6') && !v6Blocked.check(canonical, 'ipv6');
}

function ipv4From(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/** The eight 16-bit words of a valid IPv6 address (net.isIP has already accepted it), or undefined. */
function ipv6Words(address: string): number[] | undefined {
  let text = address.toLowerCase();
  // A trailing dotted quad (::ffff:127.0.0.1) stands for the last two words.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const bytes = dotted[2].split('.').map(Number);
    if (bytes.some((b) => b > 255)) return undefined;
    text = `${dotted[1]}${((bytes[0] << 8) | bytes[1]).toString(16)}:${((bytes[2] << 8) | bytes[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((w) => Number.parseInt(w, 16)));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : undefined;
}

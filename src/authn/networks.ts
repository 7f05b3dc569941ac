import { isIPv4, isIPv6 } from "node:net";

/**
 * Authorized networks (R-POL-2): whether an address is in one of a policy's CIDR ranges. Every
 * login asks, so a list is compiled once (each range to its bytes and prefix) and kept by its
 * text; an address is read to bytes once per question. Node's BlockList answers the same but
 * builds a SocketAddress per check, several times the cost of the whole policy decision
 * (bench/policies.ts). IPv4 mapped into IPv6 (::ffff:a.b.c.d) is read as the IPv4 address, and an
 * address is only ever in ranges of its own family (::/0 is every IPv6 address, not every address).
 */

interface Range {
  bytes: Uint8Array;
  prefix: number;
}

/** An address's bytes (4 or 16); undefined when it is not an IP address. */
export function addressBytes(text: string): Uint8Array | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text)?.[1];
  if (mapped !== undefined) return addressBytes(mapped);
  if (isIPv4(text)) return Uint8Array.from(text.split(".").map(Number));
  if (!isIPv6(text)) return undefined;
  // An embedded IPv4 tail (::1.2.3.4) is two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  const groups = tail
    ? `${text.slice(0, -tail.length)}${tail
        .split(".")
        .map(Number)
        .reduce<string[]>((hex, byte, i) => {
          if (i % 2 === 0) hex.push(byte.toString(16).padStart(2, "0"));
          else hex[hex.length - 1] += byte.toString(16).padStart(2, "0");
          return hex;
        }, [])
        .join(":")}`
    : text;
  const [head = "", rest] = groups.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = rest === undefined || rest === "" ? [] : rest.split(":");
  const zeros = rest === undefined ? 0 : 8 - left.length - right.length;
  const words = [...left, ...Array<string>(zeros).fill("0"), ...right].map((h) =>
    Number.parseInt(h, 16),
  );
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[2 * i] = word >> 8;
    bytes[2 * i + 1] = word & 0xff;
  });
  return bytes;
}

function compileRange(cidr: string): Range | undefined {
  const [network = "", prefix] = cidr.split("/");
  const bytes = addressBytes(network);
  if (bytes === undefined) return undefined;
  return { bytes, prefix: prefix === undefined ? bytes.length * 8 : Number(prefix) };
}

function inRange(address: Uint8Array, range: Range): boolean {
  if (address.length !== range.bytes.length) return false;
  const whole = range.prefix >> 3;
  for (let i = 0; i < whole; i++) if (address[i] !== range.bytes[i]) return false;
  const bits = range.prefix & 7;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return ((address[whole] ?? 0) & mask) === ((range.bytes[whole] ?? 0) & mask);
}

/** Compiled lists by their text; bounded, the oldest going first (policies are few). */
const compiled = new Map<string, Range[]>();
const MAX_LISTS = 10_000;

function rangesOf(cidrs: readonly string[]): Range[] {
  const key = cidrs.join(",");
  let ranges = compiled.get(key);
  if (ranges === undefined) {
    ranges = cidrs.map(compileRange).filter((range): range is Range => range !== undefined);
    if (compiled.size >= MAX_LISTS) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, ranges);
  }
  return ranges;
}

/** Whether `ip` is in one of the CIDRs (or single addresses); an unreadable or missing IP is in none. */
export function inNetworks(ip: string | null, cidrs: readonly string[]): boolean {
  if (ip === null || cidrs.length === 0) return false;
  const address = addressBytes(ip);
  if (address === undefined) return false;
  return rangesOf(cidrs).some((range) => inRange(address, range));
}

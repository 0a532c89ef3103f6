/**
 * The only source of randomness for simulated worlds: a seeded mulberry32 generator, so the same seed always gives
 * byte-identical worlds (Math.random would make every failing test unreproducible).
 */

export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max], both included. */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A random (version 4 shaped) GUID, lower case, as Entra object ids are. */
  guid(): string;
  /** `length` lower-case hex digits. */
  hex(length: number): string;
  /** Fisher-Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[];
}

/** mulberry32: 32-bit state, fast, good enough statistical quality for test data. Returns unsigned 32-bit ints. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = 45;
const GUID_DASHES: readonly number[] = [8, 13, 18, 23];
/** Where a dashed GUID keeps its version digit (4) and its variant digit (8, 9, a or b). */
const GUID_VERSION_AT = 14;
const GUID_VARIANT_AT = 19;

/**
 * Hex digits written as char codes and turned into one flat string: template literals of hex pieces made chains of
 * string fragments that dominated time and memory at 100k users.
 */
function hexCodes(u32: () => number, digits: number, dashesAt: readonly number[]): number[] {
  const codes = new Array<number>(digits + dashesAt.length);
  let word = 0;
  let bitsLeft = 0;
  for (let k = 0; k < codes.length; k += 1) {
    if (dashesAt.includes(k)) {
      codes[k] = DASH;
      continue;
    }
    if (bitsLeft === 0) {
      word = u32();
      bitsLeft = 32;
    }
    bitsLeft -= 4;
    codes[k] = HEX_CODES[(word >>> bitsLeft) & 15] ?? 48;
  }
  return codes;
}

function guidString(u32: () => number): string {
  const codes = hexCodes(u32, 32, GUID_DASHES);
  codes[GUID_VERSION_AT] = HEX_CODES[4] ?? 52;
  // The variant digit keeps two random bits (the low bits of the digit drawn there) on top of binary 10.
  codes[GUID_VARIANT_AT] = HEX_CODES[8 + ((codes[GUID_VARIANT_AT] ?? 0) & 3)] ?? 56;
  return String.fromCharCode(...codes);
}

export function createPrng(seed: number): Prng {
  const u32 = mulberry32(seed);
  const next = (): number => u32() / 4294967296;
  const int = (n: number): number => Math.floor(next() * n);
  const hex = (length: number): string => String.fromCharCode(...hexCodes(u32, length, []));
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick: empty list');
      return items[int(items.length)] as T;
    },
    guid: () => guidString(u32),
    hex,
    shuffled: <T>(items: readonly T[]): T[] => {
      const copy = items.slice();
      for (let i = copy.length - 1; i > 0; i -= 1) {
        const j = int(i + 1);
        const swap = copy[i] as T;
        copy[i] = copy[j] as T;
        copy[j] = swap;
      }
      return copy;
    },
  };
}

/** Derives an independent seed from a seed and a label, so sub-streams do not shift when one of them changes. */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i += 1) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The seeded random source. Ids, demo data and fixture secrets come from here, so the same seed gives the same
 * demo data. Secrets minted at run time (API keys, refresh tokens) use crypto randomness instead — see secrets.ts.
 * Algorithm: sfc32 seeded through splitmix32 (small, fast, well distributed; not cryptographic).
 */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    let s = seed >>> 0;
    const split = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** An integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** An integer in [0, 2^53). */
  int53(): number {
    return (this.next() & 0x1fffff) * 4294967296 + this.next();
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.next();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
    }
    return out;
  }

  hex(nBytes: number): string {
    return Buffer.from(this.bytes(nBytes)).toString('hex');
  }

  /**
   * An RFC 4122 version-4 UUID drawn from this source, formatted through a byte → hex table (request and correlation
   * ids are drawn per request: no Buffer and hex string each time).
   */
  uuid(): string {
    const b = this.bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let s = '';
    for (let i = 0; i < 16; i++) s += i === 4 || i === 6 || i === 8 || i === 10 ? `-${HEX[b[i]]}` : HEX[b[i]];
    return s;
  }

  /**
   * Continues on the stream of `fork(label)` from now on (after a snapshot is restored, ids are drawn from a stream
   * named after its content, so they never repeat ids the snapshot already holds).
   */
  switchTo(label: string): void {
    const f = this.fork(label);
    this.a = f.a;
    this.b = f.b;
    this.c = f.c;
    this.d = f.d;
  }

  /** A child source with its own stream, so adding draws in one place does not shift another. */
  fork(label: string): Rng {
    let h = this.seed >>> 0;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
    return new Rng(h);
  }
}

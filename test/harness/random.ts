// A small deterministic random source for fuzz tests (xorshift32): the same seed gives the
// same cases, so a failing case can be run again.
export function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

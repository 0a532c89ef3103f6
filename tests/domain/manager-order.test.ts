import { walkChains } from '../../src/domain/manager-order';

const walk = (next: number[]) => {
  const result = walkChains(Int32Array.from(next));
  return { depth: [...result.depth], onCycle: [...result.onCycle], cycles: result.cycles.map((c) => [...c]) };
};

describe('walkChains', () => {
  it('gives the distance to the end of the chain', () => {
    // 0 <- 1 <- 2, 3 alone, 4 -> 1
    expect(walk([-1, 0, 1, -1, 1])).toEqual({ depth: [0, 1, 2, 0, 2], onCycle: [0, 0, 0, 0, 0], cycles: [] });
  });

  it('finds each cycle once; members have depth 0 and what hangs off them counts from there', () => {
    // 0 -> 1 -> 2 -> 0 is a loop; 3 -> 0; 4 -> 3; 5 -> 5 (self)
    expect(walk([1, 2, 0, 0, 3, 5])).toEqual({
      depth: [0, 0, 0, 1, 2, 0],
      onCycle: [1, 1, 1, 0, 0, 1],
      cycles: [[0, 1, 2], [5]],
    });
  });

  it('walks a 200,000-node chain and a 200,000-node loop without recursion', () => {
    const n = 200_000;
    const chain = new Int32Array(n).map((_, i) => i - 1);
    expect(walkChains(chain).depth[n - 1]).toBe(n - 1);
    const loop = new Int32Array(n).map((_, i) => (i + 1) % n);
    const result = walkChains(loop);
    expect(result.cycles).toHaveLength(1);
    expect(result.cycles[0]).toHaveLength(n);
  });
});

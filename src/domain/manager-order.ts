/**
 * Manager chains as a graph where each node points to at most one other (its manager). Used twice by the planner:
 * to find cycles Entra lets through (reported to the admin), and to give each create a wave so that a manager's
 * object exists before its reports reference it. Iterative on purpose: a 100k-long chain must not overflow the stack.
 */

export interface ChainWalk {
  /** Steps from a node to the end of its chain (or to a cycle, whose members have depth 0). */
  readonly depth: Int32Array;
  /** 1 for nodes on a cycle. */
  readonly onCycle: Uint8Array;
  /** Each cycle once, its members in manager order starting from where the walk entered it. */
  readonly cycles: readonly (readonly number[])[];
}

const NEW = 0;
const ON_PATH = 1;
const DONE = 2;

/** next[i] is the node i points to, or -1. Every node is visited once: O(n) time, O(n) memory, no recursion. */
export function walkChains(next: Int32Array): ChainWalk {
  const n = next.length;
  const state = new Uint8Array(n);
  const depth = new Int32Array(n);
  const onCycle = new Uint8Array(n);
  const pathPosition = new Int32Array(n);
  const cycles: number[][] = [];
  const path: number[] = [];

  for (let start = 0; start < n; start++) {
    if (state[start] !== NEW) continue;
    let node = start;
    while (node !== -1 && state[node] === NEW) {
      state[node] = ON_PATH;
      pathPosition[node] = path.length;
      path.push(node);
      node = next[node] as number;
    }
    let reached = -1;
    if (node !== -1 && state[node] === ON_PATH) {
      const cycleStart = pathPosition[node] as number;
      const cycle = path.slice(cycleStart);
      for (const member of cycle) {
        onCycle[member] = 1;
        depth[member] = 0;
        state[member] = DONE;
      }
      cycles.push(cycle);
      path.length = cycleStart;
      reached = 0;
    } else if (node !== -1) {
      reached = depth[node] as number;
    }
    while (path.length > 0) {
      const member = path.pop() as number;
      reached += 1;
      depth[member] = reached;
      state[member] = DONE;
    }
  }
  return { depth, onCycle, cycles };
}

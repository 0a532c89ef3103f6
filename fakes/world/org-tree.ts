/**
 * The reporting structure of a simulated company: a CEO, department heads below it, and a breadth-first tree with
 * spans of 3 to 10 (a quarter of the people manage nobody), which gives depths of about 5 to 8 at 10k to 100k
 * people. Typed arrays keep a 100k-person tree cheap. Index 0 is the CEO; a manager's index is always smaller than
 * its reports' (the world generator shuffles the output order, so consumers cannot rely on it).
 */
import type { Prng } from './prng';
import { CEO_TITLE, type Department, DEPARTMENTS, EXECUTIVE_DEPARTMENT } from './world-data';

export interface OrgTree {
  readonly size: number;
  /** Manager index per person; -1 for the CEO. */
  readonly manager: Int32Array;
  readonly depth: Uint8Array;
  /** Number of direct reports per person. */
  readonly reports: Int32Array;
  /** Index into DEPARTMENTS; -1 for the CEO (Executive). */
  readonly department: Int16Array;
}

const MIN_SPAN = 3;
const MAX_SPAN = 10;
const INDIVIDUAL_CONTRIBUTOR_RATE = 0.25;

export function buildOrgTree(size: number, rng: Prng): OrgTree {
  const manager = new Int32Array(size).fill(-1);
  const depth = new Uint8Array(size);
  const reports = new Int32Array(size);
  const capacity = new Int32Array(size);
  const department = new Int16Array(size).fill(-1);
  if (size === 0) return { size, manager, depth, reports, department };

  // One head per department below the CEO.
  capacity[0] = DEPARTMENTS.length;
  let cursor = 0;
  let nextDepartment = 0;
  for (let i = 1; i < size; i += 1) {
    while (cursor < i && (reports[cursor] ?? 0) >= (capacity[cursor] ?? 0)) cursor += 1;
    if (cursor === i) {
      // Everyone so far is full or manages nobody: promote the newest person so the tree keeps growing.
      cursor = i - 1;
      capacity[cursor] = (reports[cursor] ?? 0) + rng.between(MIN_SPAN, MAX_SPAN);
    }
    manager[i] = cursor;
    depth[i] = (depth[cursor] ?? 0) + 1;
    reports[cursor] = (reports[cursor] ?? 0) + 1;
    capacity[i] = rng.chance(INDIVIDUAL_CONTRIBUTOR_RATE) ? 0 : rng.between(MIN_SPAN, MAX_SPAN);
    if (cursor === 0) {
      department[i] = nextDepartment % DEPARTMENTS.length;
      nextDepartment += 1;
    } else {
      department[i] = department[cursor] ?? -1;
    }
  }
  return { size, manager, depth, reports, department };
}

export function departmentOf(tree: OrgTree, index: number): Department | undefined {
  const d = tree.department[index] ?? -1;
  return d < 0 ? undefined : DEPARTMENTS[d];
}

export function departmentNameOf(tree: OrgTree, index: number): string {
  return departmentOf(tree, index)?.name ?? EXECUTIVE_DEPARTMENT;
}

/** A title that fits the person's place in the tree: executives, directors, managers, then individual contributors. */
export function jobTitleOf(tree: OrgTree, index: number, rng: Prng): string {
  const dept = departmentOf(tree, index);
  if (dept === undefined) return CEO_TITLE;
  const depth = tree.depth[index] ?? 0;
  if (depth === 1) return `VP of ${dept.name}`;
  if ((tree.reports[index] ?? 0) > 0) return depth === 2 ? `Director of ${dept.name}` : dept.managerTitle;
  return rng.pick(dept.titles);
}

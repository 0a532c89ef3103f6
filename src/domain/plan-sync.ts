/**
 * The sync rules' entry point: runs the planner of each object type of the definition (plan-employees.ts today)
 * over the desired and existing sides, and adds what is run-wide: the safety check that stops a mass inactivation,
 * and the report. docs/sync-rules.md states the rules. Planning the result of applying a plan again gives an empty
 * plan (tested with fast-check).
 */
import { CORE_SCHEMA } from './attribute-catalogue';
import { planEmployees } from './plan-employees';
import { reportSafety } from './plan-report';
import type { PlanOptions, SyncInput, SyncPlan } from './plan-types';
import { createReportCollector, type SafetyCheck } from './report';
import { objectTypeOf, type SchemaDefinition } from './schema-definition';
import { printScope } from './scope';

export { compareObjectIds } from './existing-objects';
export type { PlanOptions, SyncInput, SyncPlan } from './plan-types';

/** Below this many active objects a handful of leavers must not block a small team's sync. */
export const SAFETY_MIN_LIMIT = 5;
export const SAFETY_FRACTION_DIVISOR = 10;

export function safetyLimit(activeObjects: number): number {
  return Math.max(SAFETY_MIN_LIMIT, Math.floor(activeObjects / SAFETY_FRACTION_DIVISOR));
}

/** `definition`: the run's (built from its settings); the core attributes when not given. */
export function planSync(input: SyncInput, options: PlanOptions & { readonly definition?: SchemaDefinition } = {}): SyncPlan {
  const report = createReportCollector(options.listCap);
  const employeeType = objectTypeOf(options.definition ?? CORE_SCHEMA, 'employee');
  const scope = options.scope ?? null;
  const employees = planEmployees(input, employeeType, report, scope);

  const { inactivations, activeObjects } = employees;
  const limit = safetyLimit(activeObjects);
  const safety: SafetyCheck = { tripped: inactivations.length > limit, inactivations: inactivations.length, activeObjects, limit };
  reportSafety(safety, report);

  return {
    creates: employees.creates,
    updates: employees.updates,
    inactivations,
    managerLinks: employees.managerLinks,
    unchanged: employees.unchanged,
    activeObjects,
    safety,
    report: report.build({
      atlassianUsers: employees.population,
      matched: employees.matched,
      unchanged: employees.unchanged,
      safety,
      createColumns: employeeType.attributes.filter((attribute) => attribute.showOnCreate).map((attribute) => attribute.name),
      outOfScope: employees.scope.outOfScope,
      scope: { text: printScope(scope), rules: [...employees.scope.clauses] },
    }),
  };
}

/**
 * The sync rules' entry point: runs the planner of each object type of the definition (plan-employees.ts today)
 * over the desired and existing sides, and adds what is run-wide: the safety check that stops a mass inactivation,
 * and the report. docs/sync-rules.md states the rules. Planning the result of applying a plan again gives an empty
 * plan (tested with fast-check).
 */
import { CORE_SCHEMA } from './attribute-catalogue';
import { entraIdKey } from './entra-id';
import type { ReferenceTarget } from './object-values';
import { planEmployees } from './plan-employees';
import { type GroupPlan, type GroupPlanInput, planGroups } from './plan-groups';
import { reportSafety } from './plan-report';
import type { GroupLinks, PlanOptions, SyncInput, SyncPlan } from './plan-types';
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

function groupLinks(plan: GroupPlan, input: GroupPlanInput): GroupLinks {
  const none: readonly ReferenceTarget[] = [];
  return {
    groupsOf: (entraUserId) => {
      const ids = input.memberships.groupsOf(entraUserId);
      if (ids.length === 0) return none;
      return ids.flatMap((id) => {
        const target = plan.targetOf.get(entraIdKey(id));
        return target === undefined ? [] : [target];
      });
    },
    nameOfGroup: (entraGroupId) => plan.nameOfGroup.get(entraIdKey(entraGroupId)) ?? entraGroupId,
    nameOfObject: (objectId) => plan.nameOfObject.get(objectId) ?? objectId,
  };
}

/** `definition`: the run's (built from its settings); the core attributes when not given. */
export function planSync(input: SyncInput, options: PlanOptions & { readonly definition?: SchemaDefinition } = {}): SyncPlan {
  const report = createReportCollector(options.listCap);
  const definition = options.definition ?? CORE_SCHEMA;
  const employeeType = objectTypeOf(definition, 'employee');
  const scope = options.scope ?? null;
  // Group sync: groups are planned first, so each Employee's Groups can name its groups' objects (or their creates).
  const groupType = definition.objectTypes.find((type) => type.key === 'group');
  const groups = groupType === undefined || input.groups == null ? null : planGroups(input.groups, groupType, report);
  const employees = planEmployees(
    input,
    employeeType,
    report,
    scope,
    groups === null ? null : groupLinks(groups, input.groups!),
    options.scopeMemberships ?? null,
  );

  // Group inactivations count towards the safety threshold like employee ones, over the active objects of both types.
  const inactivations = [...(groups?.inactivations ?? []), ...employees.inactivations];
  const activeObjects = employees.activeObjects + (groups?.activeObjects ?? 0);
  const limit = safetyLimit(activeObjects);
  const safety: SafetyCheck = { tripped: inactivations.length > limit, inactivations: inactivations.length, activeObjects, limit };
  reportSafety(safety, report);

  return {
    // Write order: Entra Group objects first (an Employee's Groups references them), then the Employees.
    creates: [...(groups?.creates ?? []), ...employees.creates],
    updates: [...(groups?.updates ?? []), ...employees.updates],
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
      groups:
        groups === null
          ? undefined
          : {
              creates: groups.creates.length,
              updates: groups.updates.length,
              inactivations: groups.inactivations.length,
              membersSkipped: input.groups!.memberships.skippedMembers,
            },
    }),
  };
}

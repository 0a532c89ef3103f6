/**
 * Queue keys: a message pushed to a queue no consumer listens on is accepted by Forge and never delivered, and a
 * consumer whose queue nobody pushes to is dead configuration; @forge/lint checks neither. Keys used in code are
 * the `key` of every `new Queue({ key })` (a literal or a constant), plus the values of exported constant objects
 * named QUEUES or *QUEUE* in src/pipeline and src/functions (the app's registry of queue keys).
 */
import * as ts from 'typescript';

import type { Finding } from '../findings';
import { MANIFEST_FILE, manifestLine } from '../manifest';
import { calleeName, isUnder, type Location, locationOf, resolveString, type SourceFile, stringLeaves, walk } from '../source-index';
import type { CheckContext, ExtraCheck } from './check';
import { didYouMean } from './suggest';

const QUEUE_REGISTRY_NAME = /^[A-Z0-9_]*QUEUE[A-Z0-9_]*$/;
const QUEUE_REGISTRY_FOLDERS = ['src/pipeline', 'src/functions'];

export interface QueueKeyUse {
  readonly key: string;
  readonly file: SourceFile;
  readonly location: Location;
  readonly via: 'new Queue' | 'registry';
}

export function queueKeysInCode({ index }: CheckContext): { uses: QueueKeyUse[]; unresolved: QueueKeyUse[] } {
  const uses: QueueKeyUse[] = [];
  const unresolved: QueueKeyUse[] = [];
  for (const file of index.files) {
    if (!isUnder(file, 'src')) continue;
    walk(file.ast, (node) => {
      if (!ts.isNewExpression(node) || calleeName(node.expression) !== 'Queue') return;
      const options = node.arguments?.[0];
      if (options === undefined || !ts.isObjectLiteralExpression(options)) return;
      for (const property of options.properties) {
        if (property.name === undefined || property.name.getText(file.ast) !== 'key') continue;
        const expression = ts.isPropertyAssignment(property)
          ? property.initializer
          : ts.isShorthandPropertyAssignment(property)
            ? property.name
            : undefined;
        if (expression === undefined) continue;
        const key = resolveString(index, file, expression);
        const use = { key: key ?? expression.getText(file.ast), file, location: locationOf(file, expression), via: 'new Queue' as const };
        (key === undefined ? unresolved : uses).push(use);
      }
    });
  }
  for (const [name, declarations] of index.constants) {
    if (!QUEUE_REGISTRY_NAME.test(name)) continue;
    for (const declaration of declarations) {
      if (!declaration.exported || declaration.value.kind !== 'object') continue;
      if (!QUEUE_REGISTRY_FOLDERS.some((folder) => isUnder(declaration.file, folder))) continue;
      for (const leaf of stringLeaves(declaration.value)) {
        uses.push({ key: leaf.value, file: declaration.file, location: locationOf(declaration.file, leaf.node), via: 'registry' });
      }
    }
  }
  return { uses, unresolved };
}

export const queueKeysCheck: ExtraCheck = {
  id: 'queue-keys',
  title: 'queue keys match manifest consumers',
  run(context) {
    const findings: Finding[] = [];
    const { uses, unresolved } = queueKeysInCode(context);
    const manifestQueues = context.manifest.consumers.map((c) => c.queue);
    for (const use of uses) {
      if (manifestQueues.includes(use.key)) continue;
      findings.push({
        check: 'queue-keys',
        severity: 'error',
        file: use.file.path,
        ...use.location,
        message: `Queue key "${use.key}" (${use.via}) is not the queue of any consumer in ${MANIFEST_FILE}: events pushed to it are never delivered.${didYouMean(use.key, manifestQueues)}`,
      });
    }
    const usedKeys = new Set(uses.map((u) => u.key));
    for (const consumer of context.manifest.consumers) {
      if (usedKeys.has(consumer.queue)) continue;
      findings.push({
        check: 'queue-keys',
        severity: 'error',
        file: MANIFEST_FILE,
        line: manifestLine(context.manifestText, 'queue', consumer.queue),
        column: 0,
        message: `Queue "${consumer.queue}" (consumer ${consumer.key}) is never used in code: no new Queue({ key }) or QUEUES registry value names it.${didYouMean(consumer.queue, [...usedKeys])}`,
      });
    }
    const notes = [`${usedKeys.size} queue key(s) in code, ${manifestQueues.length} consumer queue(s) in ${MANIFEST_FILE}`];
    for (const u of unresolved)
      notes.push(`not checked: new Queue({ key: ${u.key} }) at ${u.file.path}:${u.location.line} (key not a literal or constant)`);
    return { findings, notes };
  },
};

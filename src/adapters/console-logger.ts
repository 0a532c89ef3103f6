/** One JSON line per event in the Forge logs: event name, run context and counts; never emails, names or secrets. */
import type { LogFields, Logger } from '../pipeline/ports';

export function createConsoleLogger(): Logger {
  const line = (level: string, event: string, fields?: LogFields) => JSON.stringify({ level, event, ...fields });
  return {
    // eslint-disable-next-line no-console
    info: (event, fields) => console.log(line('info', event, fields)),
    // eslint-disable-next-line no-console
    warn: (event, fields) => console.warn(line('warn', event, fields)),
    // eslint-disable-next-line no-console
    error: (event, fields) => console.error(line('error', event, fields)),
  };
}

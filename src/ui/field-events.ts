/** What UI Kit's field events hand to the Setup sections' handlers, read without trusting their shape. */

/** The option UI Kit's Select hands back (or its value, as some renderers pass it). */
export function chosenValue(option: unknown): unknown {
  if (typeof option === 'object' && option !== null && 'value' in option) return option.value;
  return option;
}

/** A text field's value after a change ('' when the event carries none). */
export function textOfChange(event: { target: { value?: unknown } }): string {
  return typeof event.target.value === 'string' ? event.target.value : '';
}

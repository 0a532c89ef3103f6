/**
 * The comparison form of an Entra object id. Graph sends lower-case GUIDs, but an Entra User ID typed or pasted into
 * Assets by hand may differ in case or surrounding spaces and still mean the same user. Returns the same string
 * when it is already in that form, so hot loops over 100k ids allocate nothing.
 */
export function entraIdKey(id: string): string {
  const length = id.length;
  if (length > 0 && id.charCodeAt(0) > 32 && id.charCodeAt(length - 1) > 32) {
    let clean = true;
    for (let i = 0; i < length; i++) {
      const code = id.charCodeAt(i);
      if ((code >= 65 && code <= 90) || code > 127) {
        clean = false;
        break;
      }
    }
    if (clean) return id;
  }
  return id.trim().toLowerCase();
}

/**
 * Issue 12, scope point 3: the scope's Graph properties (EntraUser.profile) in delta items and in the merge into
 * the cached directory: a delta item carries only the changed properties, so they merge key by key, and a change
 * of one of them counts as an update.
 */
import { toDeltaChange } from '../../src/clients/graph/graph-schemas';
import { applyDeltaChanges } from '../../src/domain/directory-delta';
import type { EntraUser } from '../../src/domain/entra-user';
import { entraUser } from './builders';

describe('scope properties in delta', () => {
  it('a delta item maps only the scope properties it carries (absent = unchanged, null = cleared)', () => {
    const change = toDeltaChange({ id: 'a', officeLocation: null, city: 'Berlin' } as never, [], ['userType', 'officeLocation', 'city']);
    expect(change).toEqual({ kind: 'upsert', id: 'a', fields: { profile: { officeLocation: null, city: 'Berlin' } } });
    expect(toDeltaChange({ id: 'a', jobTitle: 'x' } as never, [], ['userType'])).toEqual({
      kind: 'upsert',
      id: 'a',
      fields: { jobTitle: 'x' },
    });
  });

  it('merges them key by key and counts a change of one as an update', () => {
    const user: EntraUser = entraUser({ profile: { userType: 'Member', officeLocation: 'Berlin' } });
    const directory = new Map([[user.id, user]]);
    const result = applyDeltaChanges(directory, [{ kind: 'upsert', id: user.id, fields: { profile: { officeLocation: 'Remote' } } }]);
    expect(result).toMatchObject({ added: 0, updated: 1, removed: 0 });
    expect(directory.get(user.id)?.profile).toEqual({ userType: 'Member', officeLocation: 'Remote' });
    const same = applyDeltaChanges(directory, [{ kind: 'upsert', id: user.id, fields: { profile: { officeLocation: 'Remote' } } }]);
    expect(same.updated).toBe(0);
  });

  it('a new user is complete without scope properties in its item (they are not required, like extra)', () => {
    const directory = new Map<string, EntraUser>();
    const { id: _id, profile: _p, extra: _e, ...fields } = entraUser();
    const result = applyDeltaChanges(directory, [{ kind: 'upsert', id: 'new', fields }]);
    expect(result.incomplete).toEqual([]);
  });
});

import { entraIdKey } from '../../src/domain/entra-id';

describe('entraIdKey', () => {
  it('returns the very same string when it is already lower-case and trimmed', () => {
    const id = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    expect(entraIdKey(id)).toBe(id);
  });

  it('ignores case and surrounding spaces', () => {
    expect(entraIdKey(' 6F1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D\t')).toBe('6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    expect(entraIdKey('')).toBe('');
    expect(entraIdKey('ÄBC')).toBe('äbc');
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { StoreKeys } from './store-keys';

const sha = (v: string) => createHash('sha256').update(v).digest('base64url');
const newId = () => randomBytes(32).toString('base64url');

describe('StoreKeys', () => {
  it('names a session by the SHA-256 of its id and never by the id', () => {
    const id = newId();
    const names = [
      StoreKeys.session(id),
      StoreKeys.grantPrefix(id),
      StoreKeys.grant(id, 'acme'),
      StoreKeys.grantIndex(id),
    ];
    expect(names).toEqual([
      `session:{${sha(id)}}`,
      `grant:{${sha(id)}}:`,
      `grant:{${sha(id)}}:acme`,
      `grants:{${sha(id)}}`,
    ]);
    for (const name of names) expect(name).not.toContain(id);
    expect(StoreKeys.transaction('state-1')).toBe(`tx:${sha('state-1')}`);
  });

  it("tags a session's refresh lock with the same digest (one Redis Cluster slot), and names the digest alone for SQL rows", () => {
    const id = newId();
    expect(StoreKeys.refreshLock(id, 'acme')).toBe(`refresh:{${sha(id)}}:acme`);
    expect(StoreKeys.sessionDigest(id)).toBe(sha(id));
  });

  it('gives each session id its own names, also when asked again', () => {
    const [a, b] = [newId(), newId()];
    expect(StoreKeys.session(a)).toBe(StoreKeys.session(a));
    expect(StoreKeys.session(a)).not.toBe(StoreKeys.session(b));
    expect(StoreKeys.grant(a, 'x')).not.toBe(StoreKeys.grant(a, 'y'));
  });

  it('names a session the same after its remembered names were evicted or forgotten', () => {
    const id = newId();
    const before = [StoreKeys.session(id), StoreKeys.grant(id, 'acme'), StoreKeys.grantIndex(id)];
    for (let i = 0; i < 10_001; i++) StoreKeys.session(newId());
    expect([StoreKeys.session(id), StoreKeys.grant(id, 'acme'), StoreKeys.grantIndex(id)]).toEqual(
      before,
    );
    StoreKeys.forgetSession(id);
    expect(StoreKeys.session(id)).toBe(`session:{${sha(id)}}`);
  });
});

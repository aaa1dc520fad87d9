import { randomBytes } from 'node:crypto';
import { KeyRing } from 'nestjs-auth-code';
import { flipOneByte, grantOf, newId, session, tx } from '../harness/store-harness';
import type { ContractContext } from './contract-context';

/** What is really stored: ciphertext bound to its key; anything altered reads as absent. */
export function atRestContract(ctx: () => ContractContext): void {
  describe('at rest', () => {
    it('stores no token, verifier, nonce or state in raw keys and values (no session id or e-mail where sessions are sealed)', async () => {
      const { a, h } = ctx();
      const [sid, state] = [newId(), newId()];
      await a.store.setSession(session(sid), 60_000);
      await a.store.compareAndSetGrant(sid, 'acme', grantOf('AT-secret-123'), 0, 60_000);
      await a.store.putTransaction(tx(state), 60_000);
      const dump = await h.dump();
      expect(dump).toContain('a1.'); // ciphertext is there: the dump really read the records
      const secrets = ['AT-secret-123', 'refresh-AT', 'idtoken-AT', state, 'verifier-', 'nonce-'];
      if (h.sealsSessions) secrets.push(sid, 'alice@', 'user-1');
      for (const secret of secrets) expect(dump).not.toContain(secret);
    });

    it('reads a grant with one flipped byte as absent, warning without secrets', async () => {
      const { a, h } = ctx();
      const sid = newId();
      await a.store.compareAndSetGrant(sid, 'acme', grantOf('flip-me'), 0, 60_000);
      const ref = { kind: 'grant' as const, sessionId: sid, provider: 'acme' };
      await h.writeSealed(ref, flipOneByte((await h.readSealed(ref))!));
      expect(await a.store.getGrant(sid, 'acme')).toBeUndefined();
      expect(h.log.lines).toEqual([expect.stringContaining('cannot be decrypted (tampered)')]);
      expect(h.log.lines.join()).not.toMatch(new RegExp(`flip-me|${sid}`));
    });

    it('reads a sealed session with one flipped byte as logged out', async () => {
      const { a, h } = ctx();
      const sid = newId();
      await a.store.setSession(session(sid), 60_000);
      const ref = { kind: 'session' as const, sessionId: sid };
      const sealed = await h.readSealed(ref);
      // the memory store keeps sessions as objects: nothing there to flip, nothing to decrypt
      expect(sealed === undefined).toBe(!h.sealsSessions);
      if (sealed === undefined) return;
      await h.writeSealed(ref, flipOneByte(sealed));
      expect(await a.store.getSession(sid)).toBeUndefined();
      expect(h.log.lines).toEqual([
        expect.stringContaining('stored session record that cannot be decrypted'),
      ]);
    });

    it("does not accept a grant record copied under another session's key", async () => {
      const { a, h } = ctx();
      const [victim, attacker] = [newId(), newId()];
      await a.store.compareAndSetGrant(victim, 'acme', grantOf('victim-token'), 0, 60_000);
      const sealed = await h.readSealed({ kind: 'grant', sessionId: victim, provider: 'acme' });
      await h.writeSealed({ kind: 'grant', sessionId: attacker, provider: 'acme' }, sealed!);
      expect(await a.store.getGrant(attacker, 'acme')).toBeUndefined();
      expect((await a.store.getGrant(victim, 'acme'))!.tokenSet.accessToken).toBe('victim-token');
    });
  });
}

/** Key rotation across instances (shared stores: instances with other key rings on the same data). */
export function rotationContract(ctx: () => ContractContext): void {
  it('reads records written under key ring "1" after rotating to "2,1", writes with key 2, and "1" alone no longer reads them', async () => {
    const { h, key } = ctx();
    const next = randomBytes(32);
    const before = ctx().a;
    const after = h.open(new KeyRing([next, key]));
    const sid = newId();
    await before.store.compareAndSetGrant(sid, 'acme', grantOf('kept'), 0, 60_000);
    expect((await after.store.getGrant(sid, 'acme'))!.tokenSet.accessToken).toBe('kept');
    await after.store.compareAndSetGrant(sid, 'acme', grantOf('new'), 1, 60_000);
    const sealed = await h.readSealed({ kind: 'grant', sessionId: sid, provider: 'acme' });
    expect(sealed!.split('.')[1]).toBe(new KeyRing([next]).keyIds[0]);
    expect(await before.store.getGrant(sid, 'acme')).toBeUndefined();
  });
}

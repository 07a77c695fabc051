// ARI failures as typed errors: the classification from status and body, and the adapter
// against the stand-in through the real ari-client, where the HTTP status only survives
// through the status tap (ari-client itself keeps the body text alone).

import assert from 'node:assert/strict';
import { AriAdapter } from '../../../src/supervisor/ari/ari-adapter';
import { ariFailure, AriAllocationFailedError, AriNotFoundError, AriNotReadyError, AriRejectedError, AriUnavailableError, isTransientAriError } from '../../../src/supervisor/ari/ari-errors';
import { ari } from '../../ari-standin/ari-client-types';
import { PASSWORD, startRig, stopRig, USER, type Rig } from '../../ari-standin/helpers';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('ARI errors: decided once, by status', () => {
  it('classifies what Asterisk answers', () => {
    assert.ok(ariFailure('channels.hangup', 404, '{"message":"Channel not found"}') instanceof AriNotFoundError);
    const alloc = ariFailure('channels.originate', 500, '{"error":"Allocation failed"}');
    assert.ok(alloc instanceof AriAllocationFailedError);
    assert.equal(alloc.message, 'channels.originate: Allocation failed');
    assert.equal(alloc.status, 500);
    const restart = ariFailure('channels.list', 503, '<html><body><h1>Shutdown in progress</h1></body></html>');
    assert.ok(restart instanceof AriUnavailableError);
    assert.ok(isTransientAriError(restart));
    assert.equal(restart.message, 'channels.list: Shutdown in progress');
    const conflict = ariFailure('channels.continueInDialplan', 409, '{"message":"Channel not in Stasis application"}');
    assert.ok(conflict instanceof AriRejectedError);
    assert.equal(conflict.status, 409);
    assert.ok(!isTransientAriError(conflict));
    // A 500 that is not an allocation failure is a plain refusal, not congestion.
    assert.ok(ariFailure('channels.originate', 500, '{"message":"Internal Server Error"}') instanceof AriRejectedError);
  });

  describe('through the adapter and the real ari-client', () => {
    let rig: Rig;
    let adapter: AriAdapter;
    before(async () => {
      rig = await startRig();
      adapter = new AriAdapter({ url: rig.url, user: USER, password: PASSWORD, app: 'tdmgate', logger: silent, pingIntervalMs: 0 });
      await assert.rejects(adapter.getVariable('x', 'y'), (e: unknown) => e instanceof AriNotReadyError && isTransientAriError(e));
      adapter.start();
      await adapter.waitReady(5000);
    });
    after(async () => {
      await adapter.stop();
      await stopRig(rig);
    });

    it('a 404 is AriNotFoundError with its status; hanging up a gone channel is not an error', async () => {
      await assert.rejects(adapter.continueInDialplan('no-such-channel', { context: 'c', extension: 's', priority: 1 }), (e: unknown) => {
        assert.ok(e instanceof AriNotFoundError, String(e));
        assert.equal(e.status, 404);
        assert.equal(e.operation, 'channels.continueInDialplan');
        return true;
      });
      await adapter.hangup('no-such-channel', 16);
    });

    it('an originate chan_dahdi cannot allocate is AriAllocationFailedError', async () => {
      await assert.rejects(adapter.originate({ endpoint: 'DAHDI/g99/5551234', app: 'tdmgate', appArgs: '', channelId: 'alloc-test-1', timeout: 5 }), (e: unknown) => {
        assert.ok(e instanceof AriAllocationFailedError, String(e));
        assert.equal(e.status, 500);
        return true;
      });
    });

    it('the status tap marks only our Asterisk: another ari-client in the process sees the library unchanged', async () => {
      const other = await startRig();
      try {
        const client = await ari.connect(other.url, USER, PASSWORD);
        await assert.rejects(client.channels.originate({ endpoint: 'DAHDI/g99/5551234', app: 'tdmgate' }), (e: Error) => e.message === '{"error":"Allocation failed"}');
      } finally {
        await stopRig(other);
      }
    });

    it('a 409 keeps its status, is a refusal and is not transient', async () => {
      const made = await adapter.originate({ endpoint: 'DAHDI/g1/5551234', app: 'tdmgate', appArgs: '', channelId: 'dup-1', timeout: 5 });
      await assert.rejects(adapter.originate({ endpoint: 'DAHDI/g1/5551234', app: 'tdmgate', appArgs: '', channelId: 'dup-1', timeout: 5 }), (e: unknown) => {
        assert.ok(e instanceof AriRejectedError, String(e));
        assert.equal(e.status, 409);
        assert.ok(!isTransientAriError(e));
        return true;
      });
      await adapter.hangup(made.id, 16);
    });
  });
});

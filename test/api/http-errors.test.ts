// The one mapping from the project's errors to HTTP: a client's mistake is a 4xx naming the
// field, Asterisk or the trunks being away is a 503/504, and anything unknown is a 500 that
// does not leak its message.

import assert from 'node:assert/strict';
import { ApiError } from '../../src/api/api-errors';
import { httpFailure } from '../../src/api/http-errors';
import { JobError } from '../../src/jobs/job-errors';
import { TokenError } from '../../src/store/token-errors';
import { HardwareError } from '../../src/hardware/errors';
import { AriAllocationFailedError, AriNotFoundError, AriNotReadyError, AriTimeoutError } from '../../src/supervisor/ari/ari-errors';
import { OutboundError } from '../../src/supervisor/outbound/errors';
import { TrunkMapError } from '../../src/supervisor/trunk-map/errors';

describe('api: errors to HTTP status', () => {
  it('a refused outbound request is the client\'s: 400/404/409 with the field', () => {
    const bad = httpFailure(new OutboundError('INVALID_NUMBER', 'abc', 'is not a phone number'));
    assert.deepEqual({ status: bad.status, code: bad.code, field: bad.field }, { status: 400, code: 'INVALID_NUMBER', field: 'number' });
    assert.equal(httpFailure(new OutboundError('UNKNOWN_GROUP', 'x', 'is not a group', 'group')).status, 404);
    assert.equal(httpFailure(new OutboundError('GROUP_NOT_OUTBOUND', 'in', 'takes inbound calls only', 'group')).status, 409);
  });

  it('ARI trouble is ours: 503 when away or the trunks are full, 504 on a timeout, 404 for a gone channel', () => {
    assert.equal(httpFailure(new AriNotReadyError('ARI is connecting', { operation: 'x' })).status, 503);
    assert.equal(httpFailure(new AriAllocationFailedError('Allocation failed', { operation: 'x', status: 500 })).status, 503);
    assert.equal(httpFailure(new AriTimeoutError('no answer', { operation: 'x' })).status, 504);
    assert.equal(httpFailure(new AriNotFoundError('Channel not found', { operation: 'x', status: 404 })).code, 'ari-not-found');
  });

  it('trunk map and hardware codes keep their meaning', () => {
    assert.equal(httpFailure(new TrunkMapError('CHANNEL_UNAVAILABLE', 'busy')).status, 409);
    assert.equal(httpFailure(new HardwareError('UNKNOWN_SPAN', 'no span 9')).status, 404);
  });

  it('the API\'s own refusals, the job queues\' and the token store\'s keep their field and meaning', () => {
    const limited = httpFailure(new ApiError('RATE_LIMITED', 'slow down', { retryAfter: 7 }));
    assert.deepEqual([limited.status, limited.retryAfter], [429, 7]);
    assert.equal(httpFailure(new ApiError('FORBIDDEN', 'operator needed')).status, 403);
    assert.equal(httpFailure(new ApiError('UNAUTHENTICATED', 'no token')).status, 401);
    const invalid = httpFailure(new ApiError('INVALID_REQUEST', 'bad', { field: '/number', errors: [{ in: 'body', field: '/number', message: 'is required' }] }));
    assert.deepEqual([invalid.status, invalid.field, invalid.errors?.length], [400, '/number', 1]);
    assert.deepEqual([httpFailure(new JobError('INVALID_JOB', 'bad', { field: 'window' })).status, httpFailure(new JobError('INVALID_JOB', 'bad', { field: 'window' })).field], [400, 'window']);
    assert.equal(httpFailure(new JobError('REDIS_UNAVAILABLE', 'away')).status, 503);
    assert.equal(httpFailure(new JobError('INVALID_STATE', 'cancelled')).status, 409);
    assert.equal(httpFailure(new TokenError('NAME_TAKEN', 'in use', { field: 'name' })).status, 409);
  });

  it('anything else is a 500 that does not show its message', () => {
    const f = httpFailure(new Error('secret connection string mysql://root:pw@db'));
    assert.deepEqual(f, { status: 500, code: 'INTERNAL', message: 'internal error' });
  });
});

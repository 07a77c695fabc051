// The router of the live event stream: GET /api/v1/events (server-sent events). A bad `types`
// is answered as an RFC 9457 problem naming the field and what is allowed.

import { Router, type NextFunction, type Request, type Response } from 'express';
import { EventStreamRequestError, type EventStream } from './event-stream';

export function eventRoutes(stream: EventStream): Router {
  const router = Router();
  router.get('/api/v1/events', stream.handle);
  router.use('/api/v1/events', (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof EventStreamRequestError)) return next(err);
    res.status(400).type('application/problem+json').json({
      type: 'about:blank', title: 'Bad Request', status: 400, detail: err.message, instance: req.originalUrl,
      errors: [{ field: err.field, message: err.message, allowed: err.allowed }],
    });
  });
  return router;
}

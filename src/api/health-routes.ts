// GET /healthz (the process answers) and GET /readyz (each part the probe reports - ARI
// connected, CDRs storable in the database or the spool, the hardware open - is ready) as
// JSON, for systemd, monitoring and the CLI test. 200 when ready, 503 with the failing checks.

import { Router } from 'express';

export interface ReadinessCheck {
  ok: boolean;
  detail: string;
}

export type ReadinessProbe = () => Record<string, ReadinessCheck>;

export function healthRoutes(probe: ReadinessProbe, startedAt = Date.now()): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });
  router.get('/readyz', (_req, res) => {
    const checks = probe();
    const ready = Object.values(checks).every((c) => c.ok);
    res.status(ready ? 200 : 503).json({ ready, checks });
  });
  return router;
}

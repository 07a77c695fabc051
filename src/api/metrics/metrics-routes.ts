// GET /metrics: the Prometheus exposition of the supervisor's metrics (tdmgate-metrics.ts),
// for Prometheus and for `tdmgate check trunks`. A router factory like health-routes.ts.

import { Router } from 'express';
import type { MetricSources } from './metric-sources';
import { TdmgateMetrics } from './tdmgate-metrics';

export function metricsRoutes(sources: MetricSources): Router {
  const metrics = new TdmgateMetrics(sources);
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    try {
      const text = await metrics.scrape();
      res.type(metrics.contentType).send(text);
    } catch (err) {
      // A family that could not be read fails the scrape; Prometheus shows it as up == 0.
      res.status(500).type('text/plain').send(`metrics could not be read: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  });
  return router;
}

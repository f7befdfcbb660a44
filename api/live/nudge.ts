/**
 * A write through this API instance ends only after the workflow has recorded it in the read model, so when
 * one succeeds the feed polls at once instead of at its next tick: the change made here reaches the streams
 * of this instance without waiting for the poll interval. (Changes from timers, mail, other instances: next tick.)
 */
import type { Router } from 'express';
import type { CaseFeed } from './case-feed';

export function nudgeFeedAfterWrites(router: Router, feed: CaseFeed): void {
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      res.on('finish', () => {
        if (res.statusCode < 300) feed.nudge();
      });
    next();
  });
}

/**
 * How the API process serves the console: static build, index.html for client-side routes, API paths left
 * to the API, strict Content-Security-Policy, and the dev-only persona endpoint absent unless asked for.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { consoleRouter } from '../../runtime/console-static';

function fakeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'caseflow-console-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
  return dist;
}

function appWith(opts: Parameters<typeof consoleRouter>[0]) {
  const app = express();
  app.use(consoleRouter(opts));
  app.use((_req, res) => {
    res.status(404).json({ fallthrough: true });
  });
  return app;
}

test('serves the build, falls back to index.html for client routes, and leaves API paths alone', async () => {
  const app = appWith({ dist: fakeDist() });
  const index = await request(app).get('/queue?scope=all').set('Accept', 'text/html');
  expect(index.status).toBe(200);
  expect(index.text).toContain('<div id="root">');
  expect(index.headers['content-security-policy']).toMatch(/script-src 'self'/);
  expect(index.headers['content-security-policy']).not.toMatch(/unsafe-eval/);
  const asset = await request(app).get('/assets/app-1234.js');
  expect(asset.status).toBe(200);
  expect(asset.headers['cache-control']).toMatch(/immutable/);
  for (const path of ['/v1/cases', '/ready', '/openapi.json', '/metrics']) {
    const res = await request(app).get(path).set('Accept', 'text/html');
    expect({ path, body: res.body }).toEqual({ path, body: { fallthrough: true } });
  }
  expect((await request(app).get('/assets/missing.js')).status).toBe(404);
});

test('the persona picker endpoint exists only in dev mode', async () => {
  const personas = [{ principalId: 'eng-emea', name: 'Jonas', role: 'engineer', orgId: null, token: 'cf_x' }];
  const dev = await request(appWith({ dist: fakeDist(), devPersonas: personas })).get('/dev/personas');
  expect(dev.status).toBe(200);
  expect(dev.body.personas).toEqual(personas);
  expect(dev.headers['cache-control']).toBe('no-store');
  const production = await request(appWith({ dist: fakeDist() }))
    .get('/dev/personas')
    .set('Accept', 'application/json');
  expect(production.body).toEqual({ fallthrough: true });
});

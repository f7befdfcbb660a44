/**
 * Issue 19, part B: dev-only routes (the persona picker's GET /dev/personas, which hands out every demo
 * token) answer only a loopback connection with a loopback Host header (`npm start` listens on 0.0.0.0;
 * a DNS-rebound name reaches 127.0.0.1 with its own Host), and are not mounted at all with NODE_ENV=production.
 */
import type { Client } from '@temporalio/client';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../runtime/config';
import { consoleRouter, isLoopbackAddress, isLoopbackHost, type DevPersona } from '../../runtime/console-static';
import { createHttpApp } from '../../runtime/http-server';
import { createTestDatabase } from '../helpers/db';

const personas: DevPersona[] = [{ principalId: 'eng-emea', name: 'Jonas', role: 'engineer', orgId: null, token: 'cf_demo' }];

/** The console router behind a stand-in for the connection's peer address (supertest always connects from 127.0.0.1). */
function appFrom(peer?: string) {
  const app = express();
  if (peer) {
    app.use((req, _res, next) => {
      Object.defineProperty(req.socket, 'remoteAddress', { value: peer, configurable: true });
      next();
    });
  }
  app.use(consoleRouter({ devPersonas: personas }));
  return app;
}

test('loopback connections with a loopback Host get the personas', async () => {
  for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST', '127.0.0.1']) {
    const res = await request(appFrom()).get('/dev/personas').set('Host', host);
    expect({ host, status: res.status }).toEqual({ host, status: 200 });
    expect(res.body.personas).toEqual(personas);
  }
  for (const peer of ['::1', '::ffff:127.0.0.1', '127.0.0.2']) {
    expect((await request(appFrom(peer)).get('/dev/personas').set('Host', 'localhost:3000')).status).toBe(200);
  }
});

test('a non-loopback Host (DNS rebinding) is refused with a 404 that hands out nothing', async () => {
  for (const host of ['evil.example:3000', 'caseflow.internal', '10.0.0.5:3000', 'localhost.evil.example', '127.0.0.1.nip.io']) {
    const res = await request(appFrom()).get('/dev/personas').set('Host', host);
    expect({ host, status: res.status }).toEqual({ host, status: 404 });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(res.body)).not.toContain('cf_demo');
  }
});

test('a connection from another machine is refused even with a loopback Host (or a forged X-Forwarded-For)', async () => {
  for (const peer of ['192.0.2.7', '::ffff:10.1.2.3', 'fe80::1']) {
    const res = await request(appFrom(peer)).get('/dev/personas').set('Host', 'localhost:3000').set('X-Forwarded-For', '127.0.0.1');
    expect({ peer, status: res.status }).toEqual({ peer, status: 404 });
  }
});

test('the loopback checks', () => {
  expect(['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
  expect(['10.0.0.1', '::ffff:192.0.2.1', '0.0.0.0', '::', undefined, '127.example'].some(isLoopbackAddress)).toBe(false);
  expect(['localhost', 'localhost:1', '127.0.0.1:65535', '[::1]', '[::1]:3000'].every(isLoopbackHost)).toBe(true);
  expect(['::1', 'localhost:', 'localhostx', 'a.localhost', '127.0.0.2', undefined].some(isLoopbackHost)).toBe(false);
});

test('with NODE_ENV=production nothing dev-only is mounted, even when personas are passed', async () => {
  const database = await createTestDatabase();
  try {
    const deps = { database, temporal: {} as Client, logger: pino({ level: 'silent' }), devPersonas: personas };
    const secret = 'x'.repeat(40);
    const production = createHttpApp(loadConfig({ NODE_ENV: 'production', MAIL_REPLY_SECRET: secret }), deps);
    const res = await request(production).get('/dev/personas').set('Host', 'localhost').set('Accept', 'application/json');
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('cf_demo');
    // The same wiring outside production serves them (to loopback).
    const dev = createHttpApp(loadConfig({}), deps);
    expect((await request(dev).get('/dev/personas').set('Host', 'localhost')).status).toBe(200);
  } finally {
    await database.close();
  }
});

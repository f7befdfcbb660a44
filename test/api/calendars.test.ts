/**
 * iCalendar (issue 23) through the real API and worker: node-ical reads the on-call rota feed behind its
 * secret URL (revocable); office closures imported from ICS move a Basic case's deadline, appear in its
 * explanation, and leave a case opened before the import as it was; bad calendars are 4xx in bounded time.
 */
import ical from 'node-ical';
import { DateTime } from 'luxon';
import { closuresFromIcs } from '../../api/calendars/ics-closures';
import { startApiHarness, type ApiHarness } from '../helpers/api-harness';

jest.setTimeout(180_000);

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness({ worker: true });
});
afterAll(async () => {
  await h?.close();
});

const ORG_ADMIN = 'sakura-basic-haruto'; // case admin of Sakura (Basic, Asia/Tokyo)

function ics(events: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//closures//EN', ...events, 'END:VCALENDAR', ''].join('\r\n');
}
const allDay = (uid: string, from: string, toExclusive: string, summary: string, extra: string[] = []) =>
  [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART;VALUE=DATE:${from.replaceAll('-', '')}`,
    `DTEND;VALUE=DATE:${toExclusive.replaceAll('-', '')}`,
    `SUMMARY:${summary}`,
    ...extra,
    'END:VEVENT',
  ].join('\r\n');

test('the on-call rota as a feed: node-ical reads it, an engineer feed has their shifts, a revoked URL is a 404', async () => {
  const created = await h.http().post('/v1/oncall/feeds').set(h.as('demo-admin')).send({ region: 'EMEA', label: 'EMEA rota' });
  expect(created.status).toBe(201);
  const { url, id } = created.body as { url: string; id: string };
  const path = new URL(url).pathname;
  const feed = await h.http().get(path); // no bearer token: the URL is the credential
  expect(feed.status).toBe(200);
  expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
  const events = Object.values(ical.sync.parseICS(feed.text)).filter((c) => c?.type === 'VEVENT');
  expect(events.length).toBeGreaterThan(0);
  expect(events.every((e) => String((e as { summary: unknown }).summary).startsWith('On call EMEA'))).toBe(true);
  expect((events[0] as { uid: string }).uid).toMatch(/^shift-.*@caseflow$/);

  // An engineer's own feed; another engineer's is refused.
  const mine = await h.http().post('/v1/oncall/feeds').set(h.as('eng-emea')).send({ engineerId: 'eng-emea' });
  expect(mine.status).toBe(201);
  const own = Object.values(ical.sync.parseICS((await h.http().get(new URL((mine.body as { url: string }).url).pathname)).text)).filter(
    (c) => c?.type === 'VEVENT',
  );
  expect(own.length).toBeGreaterThan(0);
  expect((await h.http().post('/v1/oncall/feeds').set(h.as('eng-emea')).send({ engineerId: 'eng-apac' })).status).toBe(403);
  expect((await h.http().post('/v1/oncall/feeds').set(h.as('sakura-basic-haruto')).send({ region: 'EMEA' })).status).toBe(403);

  expect((await h.http().delete(`/v1/oncall/feeds/${id}`).set(h.as('demo-admin'))).status).toBe(204);
  expect((await h.http().get(path)).status).toBe(404);
  expect((await h.http().get('/v1/calendar-feeds/not-a-token.ics')).status).toBe(404);
});

test('a closure imported from ICS moves a Basic case deadline, shows in its explanation, and a running case keeps its calendar', async () => {
  const open = (key: string) =>
    h.http().post('/v1/cases').set(h.as(ORG_ADMIN)).set('Idempotency-Key', key).send({
      supportId: '01700003',
      type: 'technical',
      severity: 2,
      product: 'backup-replication',
      version: '12.3',
      build: '12.3.1.1139',
      title: 'Replication stalls',
      description: 'Replication stalls at 99 %',
    });
  const before = await open('calendar-before');
  expect(before.status).toBe(201);
  const dueBefore = (before.body as { sla: { firstResponse: { dueAt: string } } }).sla.firstResponse.dueAt;

  // Closed from today (Tokyo) for ten days: every deadline in that span moves after it.
  const today = DateTime.now().setZone('Asia/Tokyo').startOf('day');
  const file = ics([allDay('closure-1', today.toISODate()!, today.plus({ days: 10 }).toISODate()!, 'Office move')]);
  const imported = await h
    .http()
    .post('/v1/organisations/sakura-basic/closures')
    .set(h.as(ORG_ADMIN))
    .set('Content-Type', 'text/calendar')
    .send(file);
  expect(imported.status).toBe(201);
  expect(imported.body).toMatchObject({ version: 1, source: 'file', closures: [{ summary: 'Office move' }] });
  expect((imported.body as { dates: string[] }).dates).toHaveLength(10);

  const after = await open('calendar-after');
  expect(after.status).toBe(201);
  const fr = (after.body as { sla: { firstResponse: { dueAt: string; explanation: string } } }).sla.firstResponse;
  expect(Date.parse(fr.dueAt)).toBeGreaterThanOrEqual(today.plus({ days: 10 }).toMillis());
  expect(Date.parse(fr.dueAt)).toBeGreaterThan(Date.parse(dueBefore));
  expect(fr.explanation).toMatch(/closed on/);
  // Every closed weekday of the span is named (weekends are closed anyway).
  const weekdays = Array.from({ length: 9 }, (_, i) => today.plus({ days: i + 1 })).filter((d) => d.weekday <= 5);
  for (const d of weekdays) expect(fr.explanation).toContain(d.setLocale('en').toFormat('ccc d LLL'));

  // The case opened before the import keeps the calendar it pinned.
  const pinned = await h
    .http()
    .get(`/v1/cases/${(before.body as { id: string }).id}/sla`)
    .set(h.as(ORG_ADMIN));
  expect(JSON.stringify(pinned.body)).toContain(dueBefore);

  // Another organisation's admin may not import into Sakura's calendar.
  expect(
    (
      await h
        .http()
        .post('/v1/organisations/sakura-basic/closures')
        .set(h.as('acme-premier-anna'))
        .set('Content-Type', 'text/calendar')
        .send(file)
    ).status,
  ).toBe(404);
});

test('bad calendars: clear 4xx, in bounded time', async () => {
  const post = (body: string) =>
    h.http().post('/v1/organisations/sakura-basic/closures').set(h.as('demo-admin')).set('Content-Type', 'text/calendar').send(body);
  expect((await post('hello')).status).toBe(422);
  const minutely = ics([allDay('r', '2026-12-01', '2026-12-02', 'Every minute', ['RRULE:FREQ=MINUTELY'])]);
  const r1 = await post(minutely);
  expect(r1.status).toBe(422);
  expect((r1.body as { detail: string }).detail).toMatch(/at most daily/);
  // 100 000 events: refused by size (2 MiB) before anything is parsed.
  const many = ics(Array.from({ length: 100_000 }, (_, i) => allDay(`e${i}`, '2026-12-24', '2026-12-25', 'x')));
  const started = Date.now();
  const r2 = await post(many);
  expect([413, 422]).toContain(r2.status);
  expect(Date.now() - started).toBeLessThan(10_000);
  // Just under the size limit but too many events: counted before parsing.
  expect(() =>
    closuresFromIcs(ics(Array.from({ length: 6000 }, (_, i) => `BEGIN:VEVENT\r\nUID:${i}\r\nEND:VEVENT`)), 'Asia/Tokyo'),
  ).toThrow(/at most 5000/);
  // Malformed lines are skipped; a recurring closure in a time zone expands to its local dates.
  const tz = ics([
    'GARBAGE WITHOUT COLON',
    [
      'BEGIN:VEVENT',
      'UID:weekly',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=America/New_York:20261207T200000',
      'DTEND;TZID=America/New_York:20261207T210000',
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'SUMMARY:Inventory',
      'END:VEVENT',
    ].join('\r\n'),
  ]);
  const read = closuresFromIcs(tz, 'Asia/Tokyo', new Date('2026-12-01T00:00:00Z'));
  // 20:00 in New York is 10:00 the next day in Tokyo.
  expect(read.dates).toEqual(['2026-12-08', '2026-12-15', '2026-12-22']);
  // A URL import refuses a metadata address.
  const r3 = await h
    .http()
    .post('/v1/organisations/sakura-basic/closures/fetch')
    .set(h.as('demo-admin'))
    .send({ url: 'http://169.254.169.254/closures.ics' });
  expect(r3.status).toBe(422);
});

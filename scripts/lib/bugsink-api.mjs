/**
 * bugsink-api.mjs — owns reading a running Bugsink's REST API
 * (GET /api/canonical/0/..., Bearer token) for scripts/lib/bugsink.mjs, which
 * documents the returned shapes. List endpoints are cursor-paginated (page
 * size 250, `next` is an absolute URL or null): every page is followed.
 */
import { readFileSync } from 'node:fs';
import { waitFor } from './wait.mjs';

function tail(file, bytes) {
  try {
    return readFileSync(file, 'utf8').slice(-bytes);
  } catch {
    return '';
  }
}

export function makeApi(url, token, projectId, logFile) {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  const base = `${url}/api/canonical/0`;

  async function get(pathOrUrl) {
    const u = pathOrUrl.startsWith('http') ? pathOrUrl : base + pathOrUrl;
    const r = await fetch(u, { headers, signal: AbortSignal.timeout(10_000) });
    const body = await r.text();
    if (!r.ok) throw new Error(`GET ${u} -> ${r.status}: ${body.slice(0, 500)}`);
    return JSON.parse(body);
  }

  async function list(path) {
    const items = [];
    let next = path;
    for (let page = 0; next && page < 1000; page++) {
      const body = await get(next);
      items.push(...body.results);
      next = body.next;
    }
    return items;
  }

  const cache = new Map(); // event uuid -> full event (events are immutable)
  const api = {
    issues: () => list(`/issues/?project=${projectId}&order=asc`),
    events: (issueId) => list(`/events/?issue=${encodeURIComponent(issueId)}&order=asc`),
    event: (eventUuid) => get(`/events/${encodeURIComponent(eventUuid)}/`),
    lookup: (eventId) => get(`/events/lookup/?project=${projectId}&event_id=${encodeURIComponent(eventId)}`),
    async allEvents() {
      const all = [];
      for (const issue of await api.issues()) {
        for (const ev of await api.events(issue.id)) {
          if (!cache.has(ev.id)) cache.set(ev.id, await api.event(ev.id));
          all.push(cache.get(ev.id));
        }
      }
      return all.sort((a, b) => a.ingested_at.localeCompare(b.ingested_at) || a.id.localeCompare(b.id));
    },
    /** The data of the event whose `event_id` is `eventId`, once Bugsink has stored it. */
    async waitForEvent(eventId, options) {
      const events = await api.waitForEvents((evs) => evs.some((e) => e.data.event_id === eventId), options);
      return events.find((e) => e.data.event_id === eventId).data;
    },
    waitForEvents(predicate, { timeoutMs = 10_000, intervalMs = 150 } = {}) {
      let events = [];
      const fail = () => {
        const summary = events.map((e) => {
          const ex = e.data?.exception?.values?.at(-1);
          const what = ex ? `${ex.type}: ${ex.value}` : (e.data?.message ?? e.data?.logentry?.message ?? '(no exception)');
          return `  ${e.event_id} ${what}`;
        });
        const rejected = tail(logFile, 20_000).split('\n').filter((l) => /ValidationError|Traceback|\b(ERROR|WARNING)\b/.test(l)).slice(-10);
        return new Error(
          `waitForEvents: condition not met within ${timeoutMs} ms; Bugsink stored ${events.length} event(s):\n` +
            (summary.join('\n') || '  (none)') +
            (rejected.length ? `\nBugsink log:\n  ${rejected.join('\n  ')}` : ''),
        );
      };
      return waitFor(async () => predicate((events = await api.allEvents())) && events, { timeoutMs, intervalMs, fail });
    },
  };
  return api;
}

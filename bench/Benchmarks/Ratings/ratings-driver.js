// Drives autocannon (npm) against the rating route, POST /v1/users/{id}/ratings {"movieId": "...", "rating": r}, as a
// closed loop: each of --connections keep-alive connections sends its next rating when the last one is answered. It
// posts --warmup ratings first (JIT, Kestrel's connections; counted in the log, not in the windows), then exactly
// --ratings more, and stops (or after --max-seconds, whichever comes first).
//
// Every rating is a (user, movie) pair posted once in the run, so a log that kept one rating per pair would still
// hold every acknowledged one: rating g goes to user 1 + g mod U (round robin, so no user gets more than
// ceil(N / U)), and movie 1 + (g / U + 7919 * user) mod M, distinct for one user while g < U * M. Requests are built
// as they are sent (autocannon's setupRequest), from one counter shared by every connection.
//
// Every --window seconds it prints one JSON line of what was answered in that window (2xx, non-2xx, errors, timeouts,
// p50/p99/max of the latencies autocannon timed, from when each request was sent); at the end one line with
// "done": true and the totals.
//
//   node ratings-driver.js --autocannon DIR --url http://127.0.0.1:8080 --users 100000 --movies 10000
//                          --ratings 1000000 --warmup 2000 --connections 16 --window 10 --max-seconds 7200 [--key API_KEY]
'use strict';
const path = require('path');

function args(argv) {
  const out = {};
  for (let i = 2; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`expected --name value pairs, got '${argv[i]}'`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

const a = args(process.argv);
const autocannon = require(path.join(a.autocannon, 'node_modules', 'autocannon'));
const users = Number(a.users);
const movies = Number(a.movies);
const ratings = Number(a.ratings);
const warmup = Number(a.warmup || 0);
const connections = Number(a.connections || 16);
const windowMs = Number(a.window || 10) * 1000;
const maxMs = Number(a['max-seconds'] || 7200) * 1000;
if (!(users > 0 && movies > 0 && ratings > 0)) throw new Error('--users, --movies and --ratings must be positive');

const headers = { accept: 'application/json', 'content-type': 'application/json' };
if (a.key) headers['x-api-key'] = a.key;

let posted = 0;
function nextRating(request) {
  const g = posted++;
  const user = 1 + (g % users);
  const movie = 1 + ((Math.floor(g / users) + 7919 * user) % movies);
  const stars = 0.5 * (1 + ((g * 31 + user) % 10));
  request.path = `/v1/users/${user}/ratings`;
  request.body = `{"movieId":"${movie}","rating":${stars}}`;
  return request;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function round(x) { return x === null ? null : Math.round(x * 100) / 100; }

function run(amount, onResponse, onError) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: a.url,
      connections: Math.min(connections, amount),
      amount,
      timeout: 10,
      headers,
      requests: [{ method: 'POST', setupRequest: nextRating }],
    }, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('response', onResponse);
    instance.on('reqError', onError);
    running = instance;
  });
}

let running = null;
const statusCodes = {};
let firstError = null;

async function main() {
  const started = Date.now();
  let stoppedShort = false;
  const stopAt = setTimeout(() => { stoppedShort = true; if (running) running.stop(); }, maxMs);

  const warm = { ok: 0, non2xx: 0, errors: 0 };
  const warmStart = performance.now();
  if (warmup > 0) {
    await run(warmup,
      (_client, status) => { if (status >= 200 && status < 300) warm.ok++; else { warm.non2xx++; statusCodes[status] = (statusCodes[status] || 0) + 1; } },
      (error) => { warm.errors++; firstError = firstError || error.message; });
  }
  warm.seconds = round((performance.now() - warmStart) / 1000);

  // The measured run: latencies of every answer (for the overall percentiles) and of the current window.
  const all = new Float64Array(ratings);
  let count = 0;
  const total = { ok: 0, non2xx: 0, errors: 0, timeouts: 0 };
  let win = { ok: 0, non2xx: 0, errors: 0, timeouts: 0, latencies: [] };
  let windowIndex = 0;
  const runStart = performance.now();
  let windowStart = runStart;
  function flush(now) {
    const sorted = Float64Array.from(win.latencies).sort();
    const seconds = (now - windowStart) / 1000;
    process.stdout.write(JSON.stringify({
      window: windowIndex++, startSeconds: round((windowStart - runStart) / 1000), seconds: round(seconds),
      ok: win.ok, non2xx: win.non2xx, errors: win.errors, timeouts: win.timeouts,
      p50: round(percentile(sorted, 0.5)), p99: round(percentile(sorted, 0.99)), max: round(sorted.length ? sorted[sorted.length - 1] : null),
      okTotal: warm.ok + total.ok,
    }) + '\n');
    win = { ok: 0, non2xx: 0, errors: 0, timeouts: 0, latencies: [] };
    windowStart = now;
  }
  const ticker = setInterval(() => flush(performance.now()), windowMs);
  const result = await run(ratings,
    (_client, status, _bytes, ms) => {
      if (count < all.length) all[count++] = ms;
      win.latencies.push(ms);
      if (status >= 200 && status < 300) { total.ok++; win.ok++; } else {
        total.non2xx++; win.non2xx++; statusCodes[status] = (statusCodes[status] || 0) + 1;
      }
    },
    (error) => {
      const timeout = error.message === 'request timed out';
      total.errors++; win.errors++;
      if (timeout) { total.timeouts++; win.timeouts++; }
      firstError = firstError || error.message;
    });
  clearInterval(ticker);
  clearTimeout(stopAt);
  const end = performance.now();
  if (win.ok + win.non2xx + win.errors > 0) flush(end);
  const sorted = all.subarray(0, count).sort();
  process.stdout.write(JSON.stringify({
    done: true, stoppedShort, posted, warmup: warm,
    ok: total.ok, non2xx: total.non2xx, errors: total.errors, timeouts: total.timeouts, statusCodes, firstError,
    seconds: round((end - runStart) / 1000), wallSeconds: round((Date.now() - started) / 1000),
    p50: round(percentile(sorted, 0.5)), p90: round(percentile(sorted, 0.9)), p99: round(percentile(sorted, 0.99)),
    max: round(count ? sorted[count - 1] : null), autocannonResets: result.resets,
  }) + '\n');
}

process.once('SIGINT', () => { if (running) running.stop(); });
main().catch((error) => {
  process.stderr.write(`ratings driver failed: ${error.stack || error.message}\n`);
  process.exit(1);
});

// Drives autocannon (npm) against the recommendation route, asking for the users of --users-file (one id per line) in
// turn, a different user on every request (one user's grain serves its requests one at a time, so a single URL would
// measure that grain, not the silo). Each request is built once, up front: autocannon's per-request setupRequest
// rebuilds the request's bytes every time, which cost it a third more CPU per request on this 2-core machine, CPU
// the silo it measures then lacks. A closed loop: each of --connections keep-alive connections sends its next
// request when answered. (--rate sets autocannon's overallRate, which sends each connection's quota for a second back
// to back when the second starts: bursts.) Prints autocannon's own result as one JSON object on stdout.
//
//   node autocannon-driver.js --autocannon DIR --url http://127.0.0.1:8080 --users-file users.txt --k 10
//                             --duration 15 --connections 32 [--rate 500] [--key API_KEY]
'use strict';
const fs = require('fs');
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
const users = fs.readFileSync(a['users-file'], 'utf8').split('\n').map((line) => line.trim()).filter((line) => line.length > 0);
if (users.length === 0) throw new Error(`--users-file ${a['users-file']} names no user`);
const k = Number(a.k || 10);

const headers = { accept: 'application/json' };
if (a.key) headers['x-api-key'] = a.key;

const instance = autocannon({
  url: a.url,
  connections: Number(a.connections || 32),
  duration: Number(a.duration || 15),
  overallRate: a.rate ? Number(a.rate) : undefined,
  timeout: 10,
  headers,
  requests: users.map((user) => ({ method: 'GET', path: `/v1/users/${encodeURIComponent(user)}/recommendations?k=${k}` })),
}, (error, result) => {
  if (error) {
    process.stderr.write(`autocannon failed: ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
});
process.once('SIGINT', () => instance.stop());

// Drives autocannon (npm) at a fixed overall rate against the recommendation route, asking for a different user on
// every request (one user's grain serves its requests one at a time, so a single URL would measure that grain, not
// the silo). Prints autocannon's own result as one JSON object on stdout.
//
//   node autocannon-driver.js --autocannon DIR --url http://127.0.0.1:8080 --users 1-943 --k 10 --rate 500
//                             --duration 15 --connections 32 [--key API_KEY]
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
const [first, last] = (a.users || '1-943').split('-').map(Number);
if (!(first >= 1 && last >= first)) throw new Error(`--users expects a range like 1-943, got '${a.users}'`);
const k = Number(a.k || 10);
const span = last - first + 1;
// A fixed stride through the users (co-prime with most spans): every user is asked, in a scattered order.
const stride = 7919;
let next = 0;

const headers = { accept: 'application/json' };
if (a.key) headers['x-api-key'] = a.key;

const instance = autocannon({
  url: a.url,
  connections: Number(a.connections || 32),
  duration: Number(a.duration || 15),
  overallRate: Number(a.rate),
  timeout: 10,
  headers,
  requests: [{
    method: 'GET',
    setupRequest: (request) => {
      const user = first + ((next++ * stride) % span);
      request.path = `/v1/users/${user}/recommendations?k=${k}`;
      return request;
    },
  }],
}, (error, result) => {
  if (error) {
    process.stderr.write(`autocannon failed: ${error.message}\n`);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
});
process.once('SIGINT', () => instance.stop());

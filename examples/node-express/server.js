// A small Express app: answers GET / on $PORT, and stops cleanly on SIGTERM.
const express = require('express');

const port = Number(process.env.PORT || 5000);
const dyno = process.env.DYNO || 'web.1';
const app = express();

app.get('/', (req, res) => {
  res.type('text/plain').send(`Hello from Node.js on Slipway! (${dyno})\n`);
});

const server = app.listen(port, () => console.log(`listening on port ${port}`));

// Stop accepting on SIGTERM and exit once in-flight requests are done, as a well-behaved dyno
// does; idle keep-alive connections would otherwise hold the server open.
process.on('SIGTERM', () => {
  console.log('SIGTERM: stopping');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
});

// cognito-local (a Cognito emulator from npm) in its own Node process: it needs ES modules Jest cannot load on Node 20.
// Its state goes under the working directory (.cognito/); it prints its port once listening, then runs until killed.
process.env.PORT = '0';
process.env.HOST = '127.0.0.1';
const { createDefaultServer } = require('cognito-local');
const pino = require('pino');
createDefaultServer(pino({ level: 'silent' }))
  .then((server) => server.start())
  .then((server) => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`))
  .catch((err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  });

// An S3-compatible server for the tests (@20minutes/s3rver checks SigV4 signatures), in its own process:
// it needs Node's --openssl-legacy-provider, which the test processes must not run with.
// argv: <directory> <bucket>…  Prints {"port":N} once listening; exits when its stdin closes (the parent died).
import S3rver from '@20minutes/s3rver';

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name })),
});
server.run().then(
  (addr) => process.stdout.write(`${JSON.stringify({ port: addr.port })}\n`),
  (e) => {
    process.stderr.write(`s3rver did not start: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  },
);
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
